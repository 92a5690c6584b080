"""The admin account list (`/api/v1/admin/accounts`, `/api/v2/admin/accounts`) with its
filters, and approve, reject, enable and unsensitive: who may call them, the shapes, bad
input, and that approving sends the same e-mail as the web approval."""

from __future__ import annotations

import pytest

from staffroom.accounts.models import ApprovalState, User
from staffroom.moderation import services
from tests.factories import make_profile, make_remote_profile, make_user
from tests.graph.test_api_helpers import bearer, call, link_params
from tests.moderation.test_api_admin import ADMIN_ACCOUNT_KEYS, staff

pytestmark = pytest.mark.django_db


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()]


@pytest.fixture
def people(admin, moderator):
    ada = make_profile("ada", display_name="Ada Lovelace")
    bo = make_profile("bo")
    waiting = make_user(handle="waiting", approval=ApprovalState.PENDING).profile
    remote = make_remote_profile("faraway")
    services.account_limit(actor=admin, account_id=bo.pk)
    gone = make_profile("gone")
    services.account_suspend(actor=admin, account_id=gone.pk)
    return {"ada": ada, "bo": bo, "waiting": waiting, "remote": remote, "gone": gone}


def test_list_is_for_moderators_only(client, ada, moderator):
    assert client.get("/api/v1/admin/accounts").status_code == 401
    assert client.get("/api/v1/admin/accounts", **staff(ada.user)).status_code == 403
    assert client.get("/api/v2/admin/accounts", **staff(ada.user)).status_code == 403
    reader = bearer(moderator.profile, "read")
    assert client.get("/api/v1/admin/accounts", **reader).status_code == 403
    assert client.get("/api/v1/admin/accounts", **staff(moderator)).status_code == 200


def test_v1_list_defaults_to_local_accounts_and_filters(client, moderator, people):
    headers = staff(moderator)
    rows = client.get("/api/v1/admin/accounts", **headers)
    assert set(rows.json()[0]) == ADMIN_ACCOUNT_KEYS
    every = _ids(rows)
    assert str(people["remote"].pk) not in every
    assert str(people["ada"].pk) in every
    assert _ids(client.get("/api/v1/admin/accounts?remote=true", **headers)) == [
        str(people["remote"].pk)
    ]
    assert _ids(client.get("/api/v1/admin/accounts?pending=true", **headers)) == [
        str(people["waiting"].pk)
    ]
    assert _ids(client.get("/api/v1/admin/accounts?silenced=true", **headers)) == [
        str(people["bo"].pk)
    ]
    assert _ids(client.get("/api/v1/admin/accounts?suspended=true", **headers)) == [
        str(people["gone"].pk)
    ]
    active = _ids(client.get("/api/v1/admin/accounts?active=true", **headers))
    assert str(people["gone"].pk) not in active
    assert str(people["ada"].pk) in active
    assert _ids(client.get("/api/v1/admin/accounts?username=ad", **headers)) == [
        str(people["ada"].pk)
    ]
    assert _ids(client.get("/api/v1/admin/accounts?display_name=lovel", **headers)) == [
        str(people["ada"].pk)
    ]
    staff_ids = _ids(client.get("/api/v1/admin/accounts?staff=true", **headers))
    assert str(moderator.profile.pk) in staff_ids
    assert str(people["ada"].pk) not in staff_ids
    assert client.get("/api/v1/admin/accounts?sensitized=true", **headers).json() == []
    assert client.get("/api/v1/admin/accounts?ip=192.0.2.1", **headers).json() == []
    assert client.get("/api/v1/admin/accounts?ip=nonsense", **headers).status_code == 422


def test_v2_list_filters_and_refuses_unknown_words(client, admin, moderator, people):
    headers = staff(moderator)
    assert _ids(client.get("/api/v2/admin/accounts?origin=remote", **headers)) == [
        str(people["remote"].pk)
    ]
    assert _ids(client.get("/api/v2/admin/accounts?status=pending", **headers)) == [
        str(people["waiting"].pk)
    ]
    assert _ids(client.get("/api/v2/admin/accounts?role_ids[]=2", **headers)) == [
        str(admin.profile.pk)
    ]
    staff_ids = set(_ids(client.get("/api/v2/admin/accounts?permissions=staff", **headers)))
    assert staff_ids == {str(admin.profile.pk), str(moderator.profile.pk)}
    email = people["ada"].user.email
    assert _ids(client.get(f"/api/v2/admin/accounts?email={email}", **headers)) == [
        str(people["ada"].pk)
    ]
    assert client.get("/api/v2/admin/accounts?invited_by=1", **headers).json() == []
    for bad in ("origin=mars", "status=sleeping", "permissions=root"):
        response = client.get(f"/api/v2/admin/accounts?{bad}", **headers)
        assert response.status_code == 422, bad
        assert "error" in response.json()


def test_v2_list_is_paginated(client, moderator, people):
    headers = staff(moderator)
    first = client.get("/api/v2/admin/accounts?limit=2", **headers)
    assert len(first.json()) == 2
    following = client.get(f"/api/v2/admin/accounts?{link_params(first)['next']}", **headers)
    assert not set(_ids(first)) & set(_ids(following))


def test_approve_lets_a_pending_sign_up_in_and_emails_them(
    client, admin, people, run_jobs, mailoutbox
):
    waiting = people["waiting"]
    run_jobs()
    mailoutbox.clear()  # the notices of the fixture's limit and suspension
    response = call(client, "POST", f"/api/v1/admin/accounts/{waiting.pk}/approve", staff(admin))
    assert response.status_code == 200, response.content
    assert response.json()["approved"] is True
    assert set(response.json()) == ADMIN_ACCOUNT_KEYS
    assert User.objects.get(pk=waiting.user_id).approval == ApprovalState.APPROVED
    run_jobs()
    assert [message.to for message in mailoutbox] == [[waiting.user.email]]
    again = call(client, "POST", f"/api/v1/admin/accounts/{waiting.pk}/approve", staff(admin))
    assert again.status_code == 403


def test_reject_turns_a_pending_sign_up_down(client, admin, people, run_jobs, mailoutbox):
    waiting = people["waiting"]
    run_jobs()
    mailoutbox.clear()
    response = call(client, "POST", f"/api/v1/admin/accounts/{waiting.pk}/reject", staff(admin))
    assert response.status_code == 200
    user = User.objects.get(pk=waiting.user_id)
    assert user.approval == ApprovalState.REJECTED
    assert not user.is_active
    run_jobs()
    assert mailoutbox == []
    ada = people["ada"]
    assert (
        call(client, "POST", f"/api/v1/admin/accounts/{ada.pk}/reject", staff(admin)).status_code
        == 403
    )


def test_moderators_and_teachers_may_not_approve(client, moderator, people):
    waiting = people["waiting"]
    for headers in (staff(moderator), staff(people["ada"].user)):
        response = call(client, "POST", f"/api/v1/admin/accounts/{waiting.pk}/approve", headers)
        assert response.status_code == 403
        assert "error" in response.json()
    assert User.objects.get(pk=waiting.user_id).approval == ApprovalState.PENDING
    missing = call(client, "POST", "/api/v1/admin/accounts/12345678901/approve", staff(moderator))
    assert missing.status_code in (403, 404)


def test_enable_and_unsensitive_answer_the_account(client, moderator, people):
    ada = people["ada"]
    for action in ("enable", "unsensitive"):
        response = call(
            client, "POST", f"/api/v1/admin/accounts/{ada.pk}/{action}", staff(moderator)
        )
        assert response.status_code == 200, action
        assert response.json()["disabled"] is False
        assert response.json()["sensitized"] is False
    rejected = people["waiting"]
    User.objects.filter(pk=rejected.user_id).update(
        approval=ApprovalState.REJECTED, is_active=False
    )
    refused = call(client, "POST", f"/api/v1/admin/accounts/{rejected.pk}/enable", staff(moderator))
    assert refused.status_code == 422
    assert not User.objects.get(pk=rejected.user_id).is_active
