"""Timelines and markers against a real `staffroom serve`, driven by stock Mastodon.py 2.3.3:
the home feed paged through its Link headers (`fetch_next`, `fetch_previous`), a list's
feed, the public and hashtag timelines (signed in and anonymous), and read markers.

Home and list feeds are filled by the fan-out job, which the server's worker runs a moment
after each post; the tests wait for it (at most FAN_OUT_WAIT_SECONDS). Each test undoes
what it did (posts deleted, follows and lists removed), so the other contract modules see
the accounts as they were (SECURITY-PLAN I-4).
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
from mastodon import Mastodon, MastodonNotFoundError

from tests.contract.conftest import ContractServer, RegisteredApp, new_client, signed_in_client

pytestmark = pytest.mark.contract

FAN_OUT_WAIT_SECONDS = 30.0


@pytest.fixture(scope="module")
def poster(contract_server: ContractServer, contract_app: RegisteredApp) -> Mastodon:
    return signed_in_client(contract_server, contract_app, "hamid")


@pytest.fixture(scope="module")
def reader(contract_server: ContractServer, contract_app: RegisteredApp) -> Mastodon:
    return signed_in_client(contract_server, contract_app, "heidi")


@pytest.fixture
def made(poster: Mastodon) -> Iterator[list[str]]:
    """Ids of `poster`'s posts to delete after the test."""
    created: list[str] = []
    yield created
    for status_id in reversed(created):
        with contextlib.suppress(MastodonNotFoundError):
            poster.status_delete(status_id)


@pytest.fixture
def following(poster: Mastodon, reader: Mastodon) -> Iterator[None]:
    """`reader` follows `poster` for the test."""
    reader.account_follow(poster.me().id)
    yield
    reader.account_unfollow(poster.me().id)


def _ids(page: Sequence[Any]) -> list[str]:
    return [str(item.id) for item in page]


def _publish(poster: Mastodon, made: list[str], text: str) -> str:
    status_id = str(poster.status_post(text).id)
    made.append(status_id)
    return status_id


def _wait_for(fetch: Callable[[], Sequence[Any]], wanted: Sequence[str]) -> list[str]:
    """Fetch until every wanted id is on the page (the fan-out job runs in the worker)."""
    deadline = time.monotonic() + FAN_OUT_WAIT_SECONDS
    while True:
        found = _ids(fetch())
        if set(wanted) <= set(found):
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"not in the timeline after {FAN_OUT_WAIT_SECONDS:.0f}s: {wanted}, {found}")
        time.sleep(0.25)


def test_timelines_home_pages_through_link_headers(
    poster: Mastodon, reader: Mastodon, made: list[str], following: None
):
    posts = [_publish(poster, made, f"Home page post {number}") for number in range(3)]
    _wait_for(lambda: reader.timeline_home(limit=40), posts)
    first = reader.timeline_home(limit=2)
    assert _ids(first) == [posts[2], posts[1]]
    assert first[0].account.acct == "hamid"
    older = reader.fetch_next(first)
    assert older is not None
    assert _ids(older)[0] == posts[0]
    newest = _publish(poster, made, "Posted while heidi scrolled")
    _wait_for(lambda: reader.timeline_home(limit=40), [newest])
    newer = reader.fetch_previous(first)
    assert newer is not None
    assert _ids(newer) == [newest]
    assert _ids(reader.timeline_home(min_id=posts[0], limit=1)) == [posts[1]]
    assert _ids(reader.timeline_home(since_id=posts[2])) == [newest]


def test_timelines_list_feed(poster: Mastodon, reader: Mastodon, made: list[str], following: None):
    colleagues = reader.list_create("Contract colleagues")
    try:
        reader.list_accounts_add(colleagues.id, [poster.me().id])
        status_id = _publish(poster, made, "For the colleagues list")
        found = _wait_for(lambda: reader.timeline_list(colleagues.id), [status_id])
        assert found[0] == status_id
        with pytest.raises(MastodonNotFoundError):
            poster.timeline_list(colleagues.id)
    finally:
        reader.list_delete(colleagues.id)


def test_timelines_public_and_hashtag(
    contract_server: ContractServer,
    contract_app: RegisteredApp,
    poster: Mastodon,
    reader: Mastodon,
    made: list[str],
):
    tag = f"contract{uuid.uuid4().hex[:8]}"
    tagged = _publish(poster, made, f"A #{tag} lesson")
    hidden = poster.status_post(f"Followers only #{tag}", visibility="private")
    made.append(str(hidden.id))
    anonymous = new_client(contract_server.base_url, contract_app)
    for api in (reader, anonymous):
        public = _ids(api.timeline_public(limit=40))
        assert tagged in public
        assert str(hidden.id) not in public
        assert tagged in _ids(api.timeline_public(local=True, limit=40))
        assert _ids(api.timeline_hashtag(tag)) == [tagged]
    assert _ids(reader.timeline_public(only_media=True)) == []


def test_timelines_markers_round_trip(reader: Mastodon):
    first = reader.markers_set("home", "109000000000000001")
    assert str(first.home.last_read_id) == "109000000000000001"
    second = reader.markers_set(["home", "notifications"], ["109000000000000002", "5"])
    assert str(second.home.last_read_id) == "109000000000000002"
    assert second.home.version == first.home.version + 1
    read = reader.markers_get(["home", "notifications"])
    assert str(read.home.last_read_id) == "109000000000000002"
    assert str(read.notifications.last_read_id) == "5"
    assert read.home.updated_at is not None
