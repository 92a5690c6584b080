"""Endorsements, account notes, the lists holding an account, conversation mutes, the
instance sub-routes and the admin account routes against a real `staffroom serve`, driven
by stock Mastodon.py 2.3.3 (plain HTTP for `/api/oembed`, which Mastodon.py has no call for).

`hana` endorses and notes `hamid` and mutes a conversation; an administrator made for this
module (`hadmin`) lists accounts and approves and rejects two pending sign-ups. Each test
undoes what it did to the shared accounts.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests
from mastodon import Mastodon
from mastodon.errors import MastodonAPIError, MastodonNotFoundError

from tests.contract.conftest import (
    HTTP_TIMEOUT_SECONDS,
    SCOPES,
    ContractServer,
    RegisteredApp,
    local_session,
    new_client,
    register_app,
    run_on_server,
    sign_in_and_authorize,
    signed_in_client,
)

pytestmark = pytest.mark.contract

ADMIN = ("hadmin", "contract-hadmin-pw")
PENDING = ("hpending", "hwaiting")
ADMIN_SCOPES = [*SCOPES, "admin:read", "admin:write"]

_MAKE_STAFF = """
from staffroom.accounts.models import ApprovalState, StaffRole, User
from staffroom.accounts.services import account_create, user_role_set
admin = account_create(handle="hadmin", email="hadmin@example.org",
                       password="contract-hadmin-pw", verified=True)
user_role_set(user=admin, role=StaffRole.ADMIN)
for handle in ("hpending", "hwaiting"):
    account_create(handle=handle, email=f"{handle}@example.org", password="contract-pw",
                   verified=True, approval=ApprovalState.PENDING)
"""


@pytest.fixture(scope="module")
def hamid(contract_server: ContractServer, contract_app: RegisteredApp) -> Mastodon:
    return signed_in_client(contract_server, contract_app, "hamid")


@pytest.fixture(scope="module")
def hadmin(contract_server: ContractServer) -> Mastodon:
    run_on_server(contract_server, ["shell", "-c", _MAKE_STAFF])
    app = register_app(contract_server.base_url, name="Contract admin", scopes=ADMIN_SCOPES)
    api = new_client(contract_server.base_url, app)
    url = api.auth_request_url(scopes=ADMIN_SCOPES, allow_http=True)
    code = sign_in_and_authorize(contract_server.base_url, ADMIN[0], ADMIN[1], url)
    api.log_in(code=code, scopes=ADMIN_SCOPES, allow_http=True)
    return api


def _id(api: Mastodon, handle: str) -> Any:
    return api.account_lookup(handle).id


def test_endorse_a_followed_account_and_list_endorsements(hana: Mastodon):
    hamid_id = _id(hana, "hamid")
    try:
        with pytest.raises(MastodonAPIError):
            hana.account_pin(hamid_id)  # not followed yet: 422
        hana.account_follow(hamid_id)
        relationship = hana.account_pin(hamid_id)
        assert relationship.endorsed is True
        assert "hamid" in {account.username for account in hana.endorsements()}
        assert hana.account_unpin(hamid_id).endorsed is False
        assert hana.endorsements() == []
    finally:
        hana.account_unpin(hamid_id)
        hana.account_unfollow(hamid_id)


def test_account_note_is_private_to_its_author(hana: Mastodon, hamid: Mastodon):
    hamid_id, hana_id = _id(hana, "hamid"), _id(hana, "hana")
    try:
        assert hana.account_note_set(hamid_id, "Ask about reading circles").note == (
            "Ask about reading circles"
        )
        assert hana.account_relationships([hamid_id])[0].note == "Ask about reading circles"
        assert hamid.account_relationships([hana_id])[0].note == ""
        with pytest.raises(MastodonAPIError):
            hana.account_note_set(hamid_id, "x" * 2001)
    finally:
        hana.account_note_set(hamid_id, "")
    assert hana.account_relationships([hamid_id])[0].note == ""


def test_account_lists_names_the_lists_holding_an_account(hana: Mastodon):
    hamid_id = _id(hana, "hamid")
    created = hana.list_create("Routes contract")
    try:
        hana.account_follow(hamid_id)
        hana.list_accounts_add(created, [hamid_id])
        assert [str(found.id) for found in hana.account_lists(hamid_id)] == [str(created.id)]
        hana.list_accounts_delete(created, [hamid_id])
        assert hana.account_lists(hamid_id) == []
    finally:
        hana.list_delete(created)
        hana.account_unfollow(hamid_id)


def test_status_mute_and_unmute(hana: Mastodon, hamid: Mastodon):
    status = hana.status_post("A conversation to mute (routes contract)")
    try:
        assert hana.status_mute(status).muted is True
        assert hana.status(status).muted is True
        hamid.status_favourite(status)  # no notification about it reaches hana
        assert all(str(n.status.id) != str(status.id) for n in hana.notifications() if n.status)
        assert hana.status_unmute(status).muted is False
        with pytest.raises(MastodonNotFoundError):
            hana.status_mute("987654321987")
    finally:
        hana.status_delete(status)


def test_instance_sub_routes(hana: Mastodon):
    assert hana.instance_peers() == []
    activity = hana.instance_activity()
    assert len(activity) == 12
    assert set(activity[0]) == {"week", "statuses", "logins", "registrations"}
    description = hana.instance_extended_description()
    assert description.content.startswith("<p>")
    assert hana.instance_translation_languages() == {}
    assert hana.instance_domain_blocks() == []
    # `instance_terms_of_service()` wants a 4.4 server (we report 4.3): plain HTTP instead.
    terms = local_session().get(
        f"{hana.api_base_url}/api/v1/instance/terms_of_service", timeout=HTTP_TIMEOUT_SECONDS
    )
    assert terms.status_code == 404  # no terms written on this server


def test_oembed_for_a_public_post(contract_server: ContractServer, hana: Mastodon):
    status = hana.status_post("Embed me (routes contract)")
    hidden = hana.status_post("Followers only (routes contract)", visibility="private")
    try:
        session: requests.Session = local_session()
        url = f"{contract_server.base_url}/api/oembed"
        answer = session.get(url, params={"url": status.url}, timeout=HTTP_TIMEOUT_SECONDS)
        assert answer.status_code == 200, answer.text
        assert answer.json()["type"] == "rich"
        embed = session.get(f"{status.url}/embed", timeout=HTTP_TIMEOUT_SECONDS)
        assert embed.status_code == 200
        assert "frame-ancestors *" in embed.headers["Content-Security-Policy"]
        refused = session.get(url, params={"url": hidden.url}, timeout=HTTP_TIMEOUT_SECONDS)
        assert refused.status_code == 404
    finally:
        hana.status_delete(status)
        hana.status_delete(hidden)


def test_admin_accounts_v2_and_approve_and_reject(hadmin: Mastodon, hana: Mastodon):
    pending = hadmin.admin_accounts_v2(status="pending")
    handles = {account.username for account in pending}
    assert {"hpending", "hwaiting"} <= handles
    local = hadmin.admin_accounts_v2(origin="local", username="hana")
    assert [account.username for account in local] == ["hana"]
    assert local[0].email == "hana@example.org"
    by_handle = {account.username: account for account in pending}
    approved = hadmin.admin_account_approve(by_handle["hpending"].id)
    assert approved.approved is True
    rejected = hadmin.admin_account_reject(by_handle["hwaiting"].id)
    assert rejected.approved is False
    assert rejected.disabled is True
    assert {a.username for a in hadmin.admin_accounts_v2(status="pending")}.isdisjoint(
        {"hpending", "hwaiting"}
    )
    # Mastodon.py types the v1 answer as one AdminAccount, so its items come back as dicts.
    (found,) = hadmin.admin_accounts_v1(status="active", username="hana")
    assert found["username"] == "hana"
    with pytest.raises(MastodonAPIError):
        hana.admin_accounts_v2()  # a teacher's token has no admin scope
