"""The account actions of the graph API: follow, unfollow, remove, block, mute, and
relationships and familiar followers."""

from __future__ import annotations

import pytest

from staffroom.graph.models import Block, Follow, FollowRequest, Mute
from staffroom.graph.services import (
    block_create,
    follow_create,
    mute_create,
    purpose_list_create,
)
from tests.factories import make_profile
from tests.graph.test_api_helpers import bearer, call

RELATIONSHIP_KEYS = {
    "id",
    "following",
    "showing_reblogs",
    "notifying",
    "languages",
    "followed_by",
    "blocking",
    "blocked_by",
    "muting",
    "muting_notifications",
    "requested",
    "requested_by",
    "domain_blocking",
    "endorsed",
    "note",
    "pln",
}
PLN_KEYS = {"connected", "connection_requested", "connection_requested_by", "purposes"}


def act(client, actor, target_id, action, body=None, scopes="read write follow"):
    path = f"/api/v1/accounts/{target_id}/{action}"
    return call(client, "POST", path, bearer(actor, scopes), body)


@pytest.mark.django_db
def test_api_follow_answers_a_relationship_and_follows(client, ada, bo):
    response = act(client, ada, bo.pk, "follow", {"reblogs": False, "notify": True})
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == RELATIONSHIP_KEYS
    assert set(body["pln"]) == PLN_KEYS
    assert body["id"] == str(bo.pk)
    assert body["following"] is True
    assert body["showing_reblogs"] is False
    assert body["notifying"] is True
    assert body["languages"] is None
    assert Follow.objects.filter(follower=ada, followee=bo, notify=True).exists()


@pytest.mark.django_db
def test_api_follow_takes_purposes_and_quiet(client, ada, bo):
    practice = purpose_list_create(actor=ada, title="Classroom management", purpose="practices")
    response = act(client, ada, bo.pk, "follow", {"purposes": [str(practice.pk)], "quiet": True})
    assert response.json()["pln"]["purposes"] == [str(practice.pk)]
    assert Follow.objects.get(follower=ada, followee=bo).is_quiet is True


@pytest.mark.django_db
def test_api_follow_takes_form_encoded_purposes(client, ada, bo):
    listed = purpose_list_create(actor=ada, title="Inspiration", purpose="inspiration")
    response = client.post(
        f"/api/v1/accounts/{bo.pk}/follow",
        f"purposes[]={listed.pk}&reblogs=false",
        content_type="application/x-www-form-urlencoded",
        **bearer(ada),
    )
    assert response.status_code == 200, response.content
    assert response.json()["pln"]["purposes"] == [str(listed.pk)]
    assert response.json()["showing_reblogs"] is False


@pytest.mark.django_db
def test_api_follow_of_a_locked_account_is_requested(client, ada, locked):
    body = act(client, ada, locked.pk, "follow").json()
    assert body["requested"] is True
    assert body["following"] is False
    assert FollowRequest.objects.filter(follower=ada, followee=locked).exists()


@pytest.mark.django_db
def test_api_follow_twice_is_idempotent(client, ada, bo):
    first = act(client, ada, bo.pk, "follow").json()
    second = act(client, ada, bo.pk, "follow").json()
    assert first == second
    assert Follow.objects.filter(follower=ada, followee=bo).count() == 1


@pytest.mark.django_db
def test_api_follow_yourself_is_422(client, ada):
    response = act(client, ada, ada.pk, "follow")
    assert response.status_code == 422
    assert "error" in response.json()
    assert not Follow.objects.exists()


@pytest.mark.django_db
def test_api_follow_someone_who_blocked_you_is_404(client, ada, bo):
    """SECURITY-PLAN P-8."""
    block_create(actor=bo, target=ada)
    response = act(client, ada, bo.pk, "follow")
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}
    assert not Follow.objects.exists()


@pytest.mark.django_db
def test_api_follow_unknown_or_deactivated_account_is_404(client, ada, bo):
    assert act(client, ada, 987654321, "follow").status_code == 404
    assert act(client, ada, "abc", "follow").status_code == 404
    assert bo.user is not None
    bo.user.is_active = False
    bo.user.save(update_fields=["is_active"])
    assert act(client, ada, bo.pk, "follow").status_code == 404
    gone = bo.pk
    bo.delete()
    assert act(client, ada, gone, "follow").status_code == 404
    assert not Follow.objects.exists()


@pytest.mark.django_db
def test_api_follow_with_another_persons_list_is_404(client, ada, bo, cy):
    theirs = purpose_list_create(actor=cy, title="Mine")
    response = act(client, ada, bo.pk, "follow", {"purposes": [str(theirs.pk)]})
    assert response.status_code == 404
    assert not Follow.objects.exists()


@pytest.mark.django_db
def test_api_follow_with_junk_options_is_422(client, ada, bo):
    assert act(client, ada, bo.pk, "follow", {"reblogs": "perhaps"}).status_code == 422
    assert act(client, ada, bo.pk, "follow", {"purposes": ["1"] * 101}).status_code == 422
    assert not Follow.objects.exists()


@pytest.mark.django_db
def test_api_unfollow_and_remove_from_followers(client, ada, bo):
    follow_create(actor=ada, target=bo)
    follow_create(actor=bo, target=ada)
    body = act(client, ada, bo.pk, "unfollow").json()
    assert body["following"] is False
    assert body["followed_by"] is True
    body = act(client, ada, bo.pk, "remove_from_followers").json()
    assert body["followed_by"] is False
    assert not Follow.objects.exists()
    assert act(client, ada, bo.pk, "unfollow").status_code == 200  # idempotent


@pytest.mark.django_db
def test_api_block_and_unblock_reach_the_blocked_account(client, ada, bo):
    follow_create(actor=bo, target=ada)
    body = act(client, ada, bo.pk, "block").json()
    assert body["blocking"] is True
    assert body["followed_by"] is False
    # Blocked: the profile is hidden from ada, yet blocking again and unblocking work.
    assert client.get(f"/api/v1/accounts/{bo.pk}", **bearer(ada)).status_code == 404
    assert act(client, ada, bo.pk, "block").json()["blocking"] is True
    assert Block.objects.count() == 1
    assert act(client, ada, bo.pk, "unblock").json()["blocking"] is False
    assert not Block.objects.exists()
    assert act(client, ada, bo.pk, "unblock").status_code == 200


@pytest.mark.django_db
def test_api_blocked_person_cannot_unblock_or_mute_the_blocker(client, ada, bo):
    block_create(actor=bo, target=ada)
    assert act(client, ada, bo.pk, "unblock").status_code == 404
    assert act(client, ada, bo.pk, "mute").status_code == 404
    assert act(client, ada, bo.pk, "block").status_code == 404


@pytest.mark.django_db
def test_api_mute_with_duration_and_unmute(client, ada, bo):
    body = act(client, ada, bo.pk, "mute", {"notifications": False, "duration": 3600}).json()
    assert body["muting"] is True
    assert body["muting_notifications"] is False
    mute = Mute.objects.get()
    assert mute.expires_at is not None
    assert act(client, ada, bo.pk, "unmute").json()["muting"] is False
    assert not Mute.objects.exists()


@pytest.mark.django_db
def test_api_mute_with_bad_duration_is_422(client, ada, bo):
    assert act(client, ada, bo.pk, "mute", {"duration": -5}).status_code == 422
    assert act(client, ada, bo.pk, "mute", {"duration": 10**30}).status_code == 422
    assert act(client, ada, bo.pk, "mute", {"duration": "soon"}).status_code == 422
    assert act(client, ada, ada.pk, "mute").status_code == 422
    assert not Mute.objects.exists()


@pytest.mark.django_db
def test_api_actions_need_their_scopes(client, ada, bo):
    assert act(client, ada, bo.pk, "follow", scopes="write:blocks").status_code == 403
    assert act(client, ada, bo.pk, "block", scopes="write:follows").status_code == 403
    assert act(client, ada, bo.pk, "mute", scopes="write:blocks").status_code == 403
    assert act(client, ada, bo.pk, "follow", scopes="follow").status_code == 200
    assert act(client, ada, bo.pk, "mute", scopes="write:mutes").status_code == 200


# --- relationships ------------------------------------------------------------------------


def relationships(client, viewer, query, scopes="read"):
    return client.get(f"/api/v1/accounts/relationships?{query}", **bearer(viewer, scopes))


@pytest.mark.django_db
def test_api_relationships_in_order_leaving_out_unknown_ids(client, ada, bo, cy):
    follow_create(actor=ada, target=bo)
    mute_create(actor=ada, target=cy)
    response = relationships(client, ada, f"id[]={cy.pk}&id[]=12345&id[]=x&id[]={bo.pk}")
    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body] == [str(cy.pk), str(bo.pk)]
    assert body[0]["muting"] is True
    assert body[1]["following"] is True


@pytest.mark.django_db
def test_api_relationships_single_id_and_blocked_by(client, ada, bo):
    block_create(actor=bo, target=ada)
    body = relationships(client, ada, f"id={bo.pk}").json()
    assert body[0]["blocked_by"] is True


@pytest.mark.django_db
def test_api_relationships_refuses_more_than_40_ids(client, ada):
    query = "&".join(f"id[]={n}" for n in range(1, 42))
    assert relationships(client, ada, query).status_code == 422


@pytest.mark.django_db
def test_api_relationships_with_10000_ids_is_a_4xx(client, ada):
    query = "&".join(f"id[]={n}" for n in range(1, 10_001))
    assert relationships(client, ada, query).status_code in {400, 422}


@pytest.mark.django_db
def test_api_relationships_needs_read_accounts(client, ada, bo):
    assert relationships(client, ada, f"id[]={bo.pk}", "read:blocks").status_code == 403
    assert relationships(client, ada, f"id[]={bo.pk}", "read:accounts").status_code == 200


@pytest.mark.django_db
def test_api_relationships_query_count_is_constant(client, ada, django_assert_max_num_queries):
    ids = [make_profile(f"rel{n}").pk for n in range(30)]
    headers = bearer(ada)
    query = "&".join(f"id[]={pk}" for pk in ids)
    with django_assert_max_num_queries(10):
        response = client.get(f"/api/v1/accounts/relationships?{query}", **headers)
    assert len(response.json()) == 30


# --- familiar followers ---------------------------------------------------------------------


@pytest.mark.django_db
def test_api_familiar_followers(client, ada, bo, cy):
    follow_create(actor=ada, target=bo)
    follow_create(actor=bo, target=cy)
    response = client.get(
        f"/api/v1/accounts/familiar_followers?id[]={cy.pk}&id[]=999", **bearer(ada)
    )
    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body] == [str(cy.pk)]
    assert [account["username"] for account in body[0]["accounts"]] == ["bo"]
    assert body[0]["accounts"][0]["following_count"] == 1


@pytest.mark.django_db
def test_api_familiar_followers_query_count_is_constant(
    client, ada, cy, django_assert_max_num_queries
):
    for n in range(12):
        friend = make_profile(f"friend{n}")
        follow_create(actor=ada, target=friend)
        follow_create(actor=friend, target=cy)
    headers = bearer(ada)
    with django_assert_max_num_queries(8):
        response = client.get(f"/api/v1/accounts/familiar_followers?id[]={cy.pk}", **headers)
    assert len(response.json()[0]["accounts"]) == 12


@pytest.mark.django_db
def test_api_familiar_followers_leaves_out_hidden_follow_lists(client, ada, bo, cy):
    follow_create(actor=ada, target=bo)
    follow_create(actor=bo, target=cy)
    type(bo).objects.filter(pk=bo.pk).update(hide_follows=True)
    body = client.get(f"/api/v1/accounts/familiar_followers?id[]={cy.pk}", **bearer(ada)).json()
    assert body == [{"id": str(cy.pk), "accounts": []}]


@pytest.mark.django_db
def test_account_routes_report_exact_follow_counts(client):
    from staffroom.graph.services import follow_create

    star = make_profile("star")
    for index in range(3):
        follow_create(actor=make_profile(f"fan{index}"), target=star)
    by_id = client.get(f"/api/v1/accounts/{star.pk}").json()
    by_lookup = client.get("/api/v1/accounts/lookup?acct=star").json()
    assert by_id["followers_count"] == 3
    assert by_lookup["followers_count"] == 3
    in_directory = {a["username"]: a for a in client.get("/api/v1/directory").json()}
    assert in_directory["star"]["followers_count"] == 3
    assert in_directory["fan0"]["following_count"] == 1
