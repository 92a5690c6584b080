"""Hashtags against a real `staffroom serve`, driven by stock Mastodon.py 2.3.3: a tag and
its history, following one (its public posts reach the home feed through the worker's
fan-out), followed tags paged, and featured tags with their suggestions. Each test undoes
what it did, so the other contract modules see the accounts as they were."""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Iterator

import pytest
from mastodon import Mastodon, MastodonNotFoundError

from tests.contract.conftest import ContractServer, RegisteredApp, signed_in_client

pytestmark = pytest.mark.contract

FAN_OUT_WAIT_SECONDS = 30.0


@pytest.fixture(scope="module")
def poster(contract_server: ContractServer, contract_app: RegisteredApp) -> Mastodon:
    return signed_in_client(contract_server, contract_app, "hamid")


@pytest.fixture(scope="module")
def reader(contract_server: ContractServer, contract_app: RegisteredApp) -> Mastodon:
    return signed_in_client(contract_server, contract_app, "heidi")


@pytest.fixture
def tag() -> str:
    return f"Contract{uuid.uuid4().hex[:8]}"


@pytest.fixture
def made(poster: Mastodon) -> Iterator[list[str]]:
    created: list[str] = []
    yield created
    for status_id in reversed(created):
        with contextlib.suppress(MastodonNotFoundError):
            poster.status_delete(status_id)


def test_following_a_tag_brings_its_posts_home(
    poster: Mastodon, reader: Mastodon, made: list[str], tag: str
):
    followed = reader.tag_follow(tag)
    try:
        assert followed.name == tag
        assert followed.following is True
        assert tag in [found.name for found in reader.followed_tags()]
        status = poster.status_post(f"Exit tickets #{tag.lower()}")
        made.append(str(status.id))
        deadline = time.monotonic() + FAN_OUT_WAIT_SECONDS
        while str(status.id) not in [str(item.id) for item in reader.timeline_home(limit=40)]:
            if time.monotonic() > deadline:
                pytest.fail("the followed tag's post never reached the home feed")
            time.sleep(0.25)
        info = reader.tag(tag.upper())
        assert info.following is True
        assert info.history[0].uses == "1"
    finally:
        assert reader.tag_unfollow(tag).following is False
    assert tag not in [found.name for found in reader.followed_tags()]


def test_featured_tags_round_trip(poster: Mastodon, made: list[str], tag: str):
    made.append(str(poster.status_post(f"Fractions #{tag}").id))
    assert tag in [found.name for found in poster.featured_tag_suggestions()]
    featured = poster.featured_tag_create(tag)
    try:
        assert featured.name == tag
        assert [found.name for found in poster.featured_tags()] == [tag]
        listed = poster.account_featured_tags(poster.me().id)
        assert [found.name for found in listed] == [tag]
    finally:
        poster.featured_tag_delete(featured.id)
    assert poster.featured_tags() == []
