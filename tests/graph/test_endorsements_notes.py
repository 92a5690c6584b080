"""Endorsements (`/accounts/:id/pin`, `/endorsements`, `/accounts/:id/endorsements`),
private account notes (`/accounts/:id/note`) and `/accounts/:id/lists`: shapes, who may see
what, bad input, and the web controls."""

from __future__ import annotations

import pytest

from staffroom.graph.models import AccountNote, Follow
from staffroom.graph.services import (
    account_note_set,
    block_create,
    endorsement_create,
    follow_create,
    follow_delete,
    purpose_list_add_accounts,
    purpose_list_create,
)
from staffroom.leaving.deletion import account_delete_request
from staffroom.posts.models import ConversationMute
from staffroom.posts.services import conversation_mute
from staffroom.profiles.professional import privacy_update
from tests.factories import DEFAULT_PASSWORD
from tests.graph.test_api_helpers import bearer, call, link_params

pytestmark = pytest.mark.django_db


def post(client, actor, path, body=None, scopes="read write follow"):
    return call(client, "POST", path, bearer(actor, scopes), body)


def get(client, actor, path, scopes="read"):
    return client.get(path, **(bearer(actor, scopes) if actor is not None else {}))


# --- Endorsements ---------------------------------------------------------------------------


def test_pin_endorses_a_followed_account_and_answers_the_relationship(client, ada, bo):
    follow_create(actor=ada, target=bo)
    response = post(client, ada, f"/api/v1/accounts/{bo.pk}/pin")
    assert response.status_code == 200, response.content
    assert response.json()["endorsed"] is True
    assert response.json()["following"] is True
    again = post(client, ada, f"/api/v1/accounts/{bo.pk}/endorse")
    assert again.json()["endorsed"] is True
    assert Follow.objects.filter(follower=ada, followee=bo, endorsed_at__isnull=False).exists()

    undone = post(client, ada, f"/api/v1/accounts/{bo.pk}/unpin")
    assert undone.status_code == 200
    assert undone.json()["endorsed"] is False
    assert post(client, ada, f"/api/v1/accounts/{bo.pk}/unendorse").json()["endorsed"] is False


def test_pin_refuses_an_account_you_do_not_follow_with_422(client, ada, bo):
    response = post(client, ada, f"/api/v1/accounts/{bo.pk}/pin")
    assert response.status_code == 422
    assert "follow" in response.json()["error"]
    assert not Follow.objects.filter(endorsed_at__isnull=False).exists()


def test_pin_of_yourself_or_an_unknown_account(client, ada):
    assert post(client, ada, f"/api/v1/accounts/{ada.pk}/pin").status_code == 422
    missing = post(client, ada, "/api/v1/accounts/98765432123/pin")
    assert missing.status_code == 404
    assert missing.json() == {"error": "Record not found"}
    assert post(client, ada, "/api/v1/accounts/not-a-number/pin").status_code == 404


def test_pin_needs_write_accounts(client, ada, bo):
    follow_create(actor=ada, target=bo)
    assert post(client, ada, f"/api/v1/accounts/{bo.pk}/pin", scopes="read").status_code == 403
    assert client.post(f"/api/v1/accounts/{bo.pk}/pin").status_code == 401


def test_unfollowing_ends_the_endorsement(ada, bo):
    follow_create(actor=ada, target=bo)
    endorsement_create(actor=ada, target=bo)
    follow_delete(actor=ada, target=bo)
    follow_create(actor=ada, target=bo)
    assert not Follow.objects.get(follower=ada, followee=bo).endorsed_at


def test_endorsements_lists_your_own_paginated(client, ada, bo, cy):
    for target in (bo, cy):
        follow_create(actor=ada, target=target)
        endorsement_create(actor=ada, target=target)
    response = get(client, ada, "/api/v1/endorsements?limit=1")
    assert response.status_code == 200
    [first] = response.json()
    assert first["id"] == str(cy.pk)
    assert "next" in link_params(response)
    rest = get(client, ada, f"/api/v1/endorsements?{link_params(response)['next']}")
    assert [row["id"] for row in rest.json()] == [str(bo.pk)]
    assert client.get("/api/v1/endorsements").status_code == 401


def test_account_endorsements_are_public_and_follow_the_visibility_rules(client, ada, bo, cy):
    follow_create(actor=ada, target=bo)
    endorsement_create(actor=ada, target=bo)
    anonymous = client.get(f"/api/v1/accounts/{ada.pk}/endorsements")
    assert anonymous.status_code == 200
    assert [row["id"] for row in anonymous.json()] == [str(bo.pk)]
    # Someone on the other side of a block with the endorsed account does not see it.
    block_create(actor=bo, target=cy)
    assert get(client, cy, f"/api/v1/accounts/{ada.pk}/endorsements").json() == []
    # An account hiding its follow lists hides its endorsements, except from itself.
    privacy_update(profile=ada, hide_follows=True)
    assert client.get(f"/api/v1/accounts/{ada.pk}/endorsements").json() == []
    own = get(client, ada, f"/api/v1/accounts/{ada.pk}/endorsements")
    assert [row["id"] for row in own.json()] == [str(bo.pk)]


# --- Notes --------------------------------------------------------------------------------


def test_note_is_saved_and_shown_to_its_author_only(client, ada, bo):
    response = post(client, ada, f"/api/v1/accounts/{bo.pk}/note", {"comment": "Met at EdCamp"})
    assert response.status_code == 200, response.content
    assert response.json()["note"] == "Met at EdCamp"
    mine = get(client, ada, f"/api/v1/accounts/relationships?id[]={bo.pk}")
    assert mine.json()[0]["note"] == "Met at EdCamp"
    # The subject never sees it, in their relationship with the author or anywhere else.
    theirs = get(client, bo, f"/api/v1/accounts/relationships?id[]={ada.pk}")
    assert theirs.json()[0]["note"] == ""
    assert "EdCamp" not in get(client, bo, f"/api/v1/accounts/{ada.pk}").content.decode()
    assert "EdCamp" not in client.get(f"/@{ada.handle}").content.decode()
    client.force_login(bo.user, backend="staffroom.accounts.backends.EmailOrHandleBackend")
    assert "EdCamp" not in client.get(f"/@{bo.handle}").content.decode()
    assert "EdCamp" not in client.get(f"/@{ada.handle}").content.decode()


def test_note_blank_removes_it_and_too_long_is_422(client, ada, bo):
    account_note_set(actor=ada, target=bo, comment="Keep")
    too_long = post(client, ada, f"/api/v1/accounts/{bo.pk}/note", {"comment": "x" * 2001})
    assert too_long.status_code == 422
    assert "error" in too_long.json()
    assert AccountNote.objects.get(author=ada, target=bo).comment == "Keep"
    assert (
        post(client, ada, f"/api/v1/accounts/{bo.pk}/note", {"comment": "x" * 2000}).status_code
        == 200
    )
    cleared = post(client, ada, f"/api/v1/accounts/{bo.pk}/note", {"comment": ""})
    assert cleared.json()["note"] == ""
    assert not AccountNote.objects.exists()
    assert (
        post(client, ada, f"/api/v1/accounts/{ada.pk}/note", {"comment": "me"}).status_code == 422
    )


def test_note_form_field_and_scope(client, ada, bo):
    headers = bearer(ada, "read write")
    response = client.post(f"/api/v1/accounts/{bo.pk}/note", {"comment": "Form"}, **headers)
    assert response.status_code == 200
    assert response.json()["note"] == "Form"
    assert post(client, ada, f"/api/v1/accounts/{bo.pk}/note", scopes="read").status_code == 403


# --- Lists holding an account ----------------------------------------------------------


def test_account_lists_are_the_callers_lists_holding_the_account(client, ada, bo, cy):
    follow_create(actor=ada, target=bo)
    follow_create(actor=cy, target=bo)
    mine = purpose_list_create(actor=ada, title="Maths")
    purpose_list_create(actor=ada, title="Empty")
    theirs = purpose_list_create(actor=cy, title="Cy's")
    purpose_list_add_accounts(actor=ada, list_id=mine.pk, profile_ids=[bo.pk])
    purpose_list_add_accounts(actor=cy, list_id=theirs.pk, profile_ids=[bo.pk])
    response = get(client, ada, f"/api/v1/accounts/{bo.pk}/lists")
    assert response.status_code == 200
    assert [(row["id"], row["title"]) for row in response.json()] == [(str(mine.pk), "Maths")]
    assert set(response.json()[0]) == {"id", "title", "replies_policy", "exclusive", "pln"}
    assert (
        get(client, ada, f"/api/v1/accounts/{bo.pk}/lists", scopes="read:accounts").status_code
        == 403
    )
    assert get(client, ada, "/api/v1/accounts/123456789/lists").status_code == 404


# --- Web ------------------------------------------------------------------------------------


def test_profile_page_endorse_toggle_and_recommended_colleagues(client, client_for, ada, bo):
    follow_create(actor=ada, target=bo)
    signed_in = client_for(ada.user)
    page = signed_in.get(f"/@{bo.handle}").content.decode()
    assert "Recommend on my profile" in page
    response = signed_in.post(f"/network/accounts/{bo.pk}/endorse", {"next": f"/@{bo.handle}"})
    assert response.status_code == 302
    assert Follow.objects.get(follower=ada, followee=bo).endorsed_at is not None
    assert "Stop recommending" in signed_in.get(f"/@{bo.handle}").content.decode()
    own = signed_in.get(f"/@{ada.handle}").content.decode()
    assert "Recommended colleagues" in own
    assert f"@{bo.handle}@" in own
    signed_in.post(f"/network/accounts/{bo.pk}/unendorse")
    assert Follow.objects.get(follower=ada, followee=bo).endorsed_at is None


def test_endorsing_someone_not_followed_on_the_web_is_refused(client_for, ada, bo):
    response = client_for(ada.user).post(f"/network/accounts/{bo.pk}/endorse")
    assert response.status_code == 422
    assert not Follow.objects.exists()


def test_profile_page_private_note_form(client_for, ada, bo):
    signed_in = client_for(ada.user)
    page = signed_in.get(f"/@{bo.handle}").content.decode()
    assert "Your private note" in page
    signed_in.post(f"/network/accounts/{bo.pk}/note", {"comment": "Great on phonics"})
    assert AccountNote.objects.get(author=ada, target=bo).comment == "Great on phonics"
    assert "Great on phonics" in signed_in.get(f"/@{bo.handle}").content.decode()
    too_long = signed_in.post(f"/network/accounts/{bo.pk}/note", {"comment": "y" * 2001})
    assert too_long.status_code == 422
    assert AccountNote.objects.get(author=ada, target=bo).comment == "Great on phonics"


# --- Account deletion --------------------------------------------------------------------


def test_deleting_an_account_removes_its_notes_endorsements_and_conversation_mutes(
    ada, bo, cy, post, run_jobs
):
    follow_create(actor=ada, target=bo)
    endorsement_create(actor=ada, target=bo)
    follow_create(actor=cy, target=ada)
    endorsement_create(actor=cy, target=ada)
    account_note_set(actor=ada, target=bo, comment="Ada's note")
    account_note_set(actor=cy, target=ada, comment="About Ada")
    account_note_set(actor=cy, target=bo, comment="Not about Ada")
    conversation_mute(actor=ada, status=post(bo, "A thread"))
    assert ada.user is not None
    account_delete_request(user=ada.user, password=DEFAULT_PASSWORD)
    run_jobs()
    assert list(AccountNote.objects.values_list("comment", flat=True)) == ["Not about Ada"]
    assert not Follow.objects.filter(endorsed_at__isnull=False).exists()
    assert not ConversationMute.objects.exists()
