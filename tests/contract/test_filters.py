"""Filters against a real `staffroom serve`, driven by stock Mastodon.py 2.3.3: v1 filters
(`filter_create`, `filters()`, `filter_update`, `filter_delete`, and the client-side
`filters_apply`), v2 filters with keywords and posts, and a `hide` filter taking a post out
of the public timeline while a `warn` filter marks it `filtered`. Each test deletes what it
made, so the other contract modules see the accounts as they were."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator

import pytest
from mastodon import Mastodon, MastodonAPIError, MastodonNotFoundError

from tests.contract.conftest import ContractServer, RegisteredApp, signed_in_client

pytestmark = pytest.mark.contract


@pytest.fixture(scope="module")
def poster(contract_server: ContractServer, contract_app: RegisteredApp) -> Mastodon:
    return signed_in_client(contract_server, contract_app, "hamid")


@pytest.fixture(scope="module")
def reader(contract_server: ContractServer, contract_app: RegisteredApp) -> Mastodon:
    return signed_in_client(contract_server, contract_app, "hana")


@pytest.fixture
def word() -> str:
    return f"filterword{uuid.uuid4().hex[:8]}"


@pytest.fixture
def cleanup(reader: Mastodon, poster: Mastodon) -> Iterator[dict[str, list[str]]]:
    made: dict[str, list[str]] = {"v2": [], "posts": []}
    yield made
    for filter_id in made["v2"]:
        with contextlib.suppress(MastodonNotFoundError):
            reader.delete_filter_v2(filter_id)
    for status_id in made["posts"]:
        with contextlib.suppress(MastodonNotFoundError):
            poster.status_delete(status_id)


def test_v1_filters_round_trip_and_apply(reader: Mastodon, poster: Mastodon, cleanup, word):
    created = reader.filter_create(word, ["home", "public"], irreversible=False, whole_word=True)
    try:
        assert created.phrase == word
        assert created.context == ["home", "public"]
        assert created.whole_word is True
        assert created.irreversible is False
        assert [found.id for found in reader.filters()] == [created.id]
        assert reader.filter(created.id).phrase == word
        changed = reader.filter_update(created.id, phrase=word.upper(), whole_word=False)
        assert changed.phrase == word.upper()
        assert changed.whole_word is False
        status = poster.status_post(f"About {word} today")
        cleanup["posts"].append(str(status.id))
        kept = reader.filters_apply(reader.timeline_public(limit=40), reader.filters(), "public")
        assert str(status.id) not in [str(item.id) for item in kept]
    finally:
        reader.filter_delete(created.id)
    assert reader.filters() == []


def test_v1_bad_context_is_a_422(reader: Mastodon, word):
    with pytest.raises(MastodonAPIError):
        reader.filter_update("123", phrase=word)  # not theirs: 404
    with pytest.raises(MastodonAPIError):
        reader.filter_create("", ["home"])


def test_v2_filters_with_keywords_and_statuses(reader: Mastodon, poster: Mastodon, cleanup, word):
    made = reader.create_filter_v2(
        title="Contract",
        context=["public", "thread"],
        filter_action="warn",
        keywords_attributes=[{"keyword": word, "whole_word": True}],
    )
    cleanup["v2"].append(str(made.id))
    assert made.title == "Contract"
    assert [keyword.keyword for keyword in made.keywords] == [word]
    assert str(made.id) in [str(found.id) for found in reader.filters_v2()]
    assert reader.filter_v2(made.id).filter_action == "warn"
    added = reader.add_filter_keyword_v2(made.id, "second" + word, whole_word=False)
    assert added.whole_word is False
    assert len(reader.filter_keywords_v2(made.id)) == 2
    reader.delete_filter_keyword_v2(added.id)
    assert len(reader.filter_keywords_v2(made.id)) == 1
    updated = reader.update_filter_v2(made.id, title="Renamed", filter_action="hide")
    assert (updated.title, updated.filter_action) == ("Renamed", "hide")

    status = poster.status_post(f"A post about {word}")
    cleanup["posts"].append(str(status.id))
    public = [str(item.id) for item in reader.timeline_public(limit=40)]
    assert str(status.id) not in public  # hidden for the reader
    assert str(status.id) in [str(item.id) for item in poster.timeline_public(limit=40)]

    reader.update_filter_v2(made.id, filter_action="warn")
    shown = {str(item.id): item for item in reader.timeline_public(limit=40)}
    filtered = shown[str(status.id)].filtered
    assert filtered[0].filter.title == "Renamed"
    assert filtered[0].keyword_matches == [word]

    other = poster.status_post("Nothing to see")
    cleanup["posts"].append(str(other.id))
    row = reader.add_filter_status_v2(made.id, other.id)
    assert str(row.status_id) == str(other.id)
    assert [str(item.id) for item in reader.filter_statuses_v2(made.id)] == [str(row.id)]
    assert str(reader.filter_status_v2(row.id).status_id) == str(other.id)
    reader.delete_filter_status_v2(row.id)
    assert reader.filter_statuses_v2(made.id) == []

    reader.delete_filter_v2(made.id)
    assert str(made.id) not in [str(found.id) for found in reader.filters_v2()]
    with pytest.raises(MastodonNotFoundError):
        reader.filter_v2(made.id)
