"""The social graph against a real `staffroom serve`, driven by stock Mastodon.py 2.3.3 (and
plain HTTP for the `/api/v1/pln/` connection and purpose routes).

The three contract accounts play every part: `hana` follows and lists, `hamid` is followed
(and locked for the follow request test), `heidi` connects, is blocked and muted. Each test
undoes what it did (in `finally`), so the order does not matter and the other contract
modules see the accounts as they were.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from mastodon import Mastodon

from tests.contract.conftest import (
    ContractServer,
    RegisteredApp,
    bearer_session,
    signed_in_client,
)

pytestmark = pytest.mark.contract
TIMEOUT = 30


@pytest.fixture(scope="module")
def hamid(contract_server: ContractServer, contract_app: RegisteredApp) -> Mastodon:
    return signed_in_client(contract_server, contract_app, "hamid")


@pytest.fixture(scope="module")
def heidi(contract_server: ContractServer, contract_app: RegisteredApp) -> Mastodon:
    return signed_in_client(contract_server, contract_app, "heidi")


def _id(api: Mastodon, handle: str) -> Any:
    return api.account_lookup(handle).id


def _json(response: requests.Response, status: int = 200) -> Any:
    where = f"{response.request.method} {response.url}"
    assert response.status_code == status, f"{where}: {response.status_code} {response.text[:800]}"
    return response.json()


@pytest.fixture
def clean_graph(hana: Mastodon, hamid: Mastodon, heidi: Mastodon) -> Iterator[None]:
    """Undo every relationship among the three after the test (idempotent routes)."""
    yield
    clients = {"hana": hana, "hamid": hamid, "heidi": heidi}
    ids = {handle: _id(hana, handle) for handle in clients}
    for handle, api in clients.items():
        for other, other_id in ids.items():
            if other != handle:
                api.account_unblock(other_id)
                api.account_unmute(other_id)
                api.account_unfollow(other_id)


def test_graph_follow_relationships_and_unfollow(hana: Mastodon, clean_graph: None):
    hamid_id = _id(hana, "hamid")
    followers_before = hana.account(hamid_id).followers_count
    relationship = hana.account_follow(hamid_id, reblogs=False, notify=True)
    assert relationship.following is True
    assert relationship.showing_reblogs is False
    assert relationship.notifying is True
    assert relationship.pln["connected"] is False
    (found,) = hana.account_relationships([hamid_id])
    assert str(found.id) == str(hamid_id)
    assert found.following is True
    assert found.blocked_by is False
    following = hana.account_following(hana.me().id)
    assert "hamid" in {account.username for account in following}
    assert hana.account(hamid_id).followers_count == followers_before + 1
    assert hana.account_unfollow(hamid_id).following is False
    assert hana.account_relationships([hamid_id])[0].following is False
    assert hana.account(hamid_id).followers_count == followers_before


def test_graph_followers_paginate_with_link_headers(
    hana: Mastodon, heidi: Mastodon, clean_graph: None
):
    hamid_id = _id(hana, "hamid")
    hana.account_follow(hamid_id)
    heidi.account_follow(hamid_id)
    first = hana.account_followers(hamid_id, limit=1)
    assert [account.username for account in first] == ["heidi"]
    assert first[0].following_count == 1
    second = hana.fetch_next(first)
    assert second is not None
    assert [account.username for account in second] == ["hana"]
    third = hana.fetch_next(second)
    assert not third


def test_graph_block_and_unblock(hana: Mastodon, heidi: Mastodon, clean_graph: None):
    heidi_id = _id(hana, "heidi")
    heidi.account_follow(_id(heidi, "hana"))
    relationship = hana.account_block(heidi_id)
    assert relationship.blocking is True
    assert relationship.followed_by is False
    assert "heidi" in {account.username for account in hana.blocks()}
    assert heidi.account_relationships([_id(heidi, "hamid")])  # heidi can still act
    assert hana.account_unblock(heidi_id).blocking is False
    assert hana.blocks() == []


def test_graph_mute_for_an_hour_and_unmute(hana: Mastodon, clean_graph: None):
    heidi_id = _id(hana, "heidi")
    relationship = hana.account_mute(heidi_id, duration=3600)
    assert relationship.muting is True
    assert relationship.muting_notifications is True
    assert "heidi" in {account.username for account in hana.mutes()}
    assert hana.account_unmute(heidi_id).muting is False
    assert hana.mutes() == []


def test_graph_follow_request_of_a_locked_account(
    contract_server: ContractServer, hamid: Mastodon, heidi: Mastodon, clean_graph: None
):
    hamid_http = bearer_session(hamid)
    profile_url = f"{contract_server.base_url}/api/v1/pln/profile"
    _json(hamid_http.patch(profile_url, json={"locked": True}, timeout=TIMEOUT))
    try:
        hamid_id = _id(heidi, "hamid")
        assert heidi.account_follow(hamid_id).requested is True
        requests_ = hamid.follow_requests()
        assert [account.username for account in requests_] == ["heidi"]
        relationship = hamid.follow_request_authorize(requests_[0].id)
        assert relationship.followed_by is True
        assert relationship.requested_by is False
        assert hamid.follow_requests() == []
        assert heidi.account_relationships([hamid_id])[0].following is True
    finally:
        _json(hamid_http.patch(profile_url, json={"locked": False}, timeout=TIMEOUT))


def test_graph_lists(hana: Mastodon, clean_graph: None):
    hamid_id = _id(hana, "hamid")
    hana.account_follow(hamid_id)
    created = hana.list_create("Classroom management")
    try:
        assert created.title == "Classroom management"
        assert created.replies_policy == "list"
        assert created.exclusive is False
        assert created.id in {found.id for found in hana.lists()}
        hana.list_accounts_add(created.id, [hamid_id])
        assert [account.username for account in hana.list_accounts(created.id)] == ["hamid"]
        hana.list_accounts_delete(created.id, [hamid_id])
        assert hana.list_accounts(created.id) == []
    finally:
        hana.list_delete(created.id)
    assert created.id not in {found.id for found in hana.lists()}


def test_graph_pln_connection_and_purposes_over_http(
    contract_server: ContractServer, hana: Mastodon, heidi: Mastodon, clean_graph: None
):
    base = f"{contract_server.base_url}/api/v1"
    hana_http, heidi_http = bearer_session(hana), bearer_session(heidi)
    heidi_id, hana_id = _id(hana, "heidi"), _id(heidi, "hana")
    created = hana.list_create("Inspiration")
    try:
        asked = _json(hana_http.post(f"{base}/pln/connections/{heidi_id}", timeout=TIMEOUT))
        assert asked["pln"]["connection_requested"] is True
        incoming = _json(heidi_http.get(f"{base}/pln/connections?state=asked", timeout=TIMEOUT))
        assert [(c["direction"], c["account"]["username"]) for c in incoming] == [
            ("incoming", "hana")
        ]
        url = f"{base}/pln/connections/{hana_id}/accept"
        accepted = _json(heidi_http.post(url, timeout=TIMEOUT))
        assert accepted["pln"]["connected"] is True
        assert accepted["following"] is True
        assert hana.account_relationships([heidi_id])[0].pln["connected"] is True
        purposes = _json(
            hana_http.put(
                f"{base}/pln/follows/{heidi_id}/purposes",
                json={"list_ids": [str(created.id)]},
                timeout=TIMEOUT,
            )
        )
        assert purposes["pln"]["purposes"] == [str(created.id)]
        ended = _json(hana_http.delete(f"{base}/pln/connections/{heidi_id}", timeout=TIMEOUT))
        assert ended["pln"]["connected"] is False
        assert ended["following"] is True
        suggested = _json(hana_http.get(f"{base}/pln/purpose_lists/defaults", timeout=TIMEOUT))
        assert all(set(item) == {"title", "purpose"} for item in suggested)
    finally:
        hana.list_delete(created.id)
