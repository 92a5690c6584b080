"""Trends against a real `staffroom serve`, driven by stock Mastodon.py 2.3.3: three
teachers post the same hashtag and link, the server computes trends (`staffroom
trends_refresh`) and a moderator approves them; `trending_tags()`, `trending_links()` and
`trending_statuses()` read them, signed in and anonymous. The posts are deleted after."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator

import pytest
from mastodon import Mastodon, MastodonNotFoundError

from tests.contract.conftest import (
    ContractServer,
    RegisteredApp,
    new_client,
    run_on_server,
    signed_in_client,
)

pytestmark = pytest.mark.contract

_APPROVE = """
from staffroom.accounts.models import User
from staffroom.posts.models import Tag
from staffroom.posts.tag_review import tag_review
from staffroom.trends.models import Link
from staffroom.trends.services import link_review
moderator = User.objects.get(profile__handle="hana")
for tag in Tag.objects.filter(requested_review_at__isnull=False):
    tag_review(tag, trendable=True, moderator=moderator)
for link in Link.objects.filter(requested_review_at__isnull=False):
    link_review(link, trendable=True)
"""


@pytest.fixture(scope="module")
def trending(
    contract_server: ContractServer, contract_app: RegisteredApp
) -> Iterator[tuple[str, str]]:
    name = f"trend{uuid.uuid4().hex[:8]}"
    url = f"https://blog.example/{name}"
    posted: list[tuple[Mastodon, str]] = []
    for handle in ("hana", "hamid", "heidi"):
        api = signed_in_client(contract_server, contract_app, handle)
        posted.append((api, api.status_post(f"Trying #{name} today, see {url}").id))
    run_on_server(contract_server, ["trends_refresh"])
    run_on_server(contract_server, ["shell", "-c", _APPROVE])
    yield name, url
    for api, status_id in posted:
        with contextlib.suppress(MastodonNotFoundError):
            api.status_delete(status_id)


def test_trending_tags_and_links_read_by_mastodon_py(
    trending: tuple[str, str], contract_server: ContractServer, contract_app: RegisteredApp
):
    name, url = trending
    anonymous = new_client(contract_server.base_url, contract_app)
    tags = anonymous.trending_tags(limit=20)
    mine = next(tag for tag in tags if tag.name == name)
    assert int(mine.history[0].accounts) == 3
    assert mine.history[0].day > mine.history[1].day  # Mastodon.py reads days as datetimes
    links = anonymous.trending_links()
    card = next(link for link in links if link.url == url)
    assert card.provider_name == "blog.example"
    assert int(card.history[0].uses) == 3


def test_trending_statuses_read_by_mastodon_py(trending: tuple[str, str], hana: Mastodon) -> None:
    assert isinstance(hana.trending_statuses(), list)
