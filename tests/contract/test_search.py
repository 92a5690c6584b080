"""Search against a real `staffroom serve`, driven by stock Mastodon.py 2.3.3: `search_v2`
finds a post, its author and its hashtag, and keeps a followers-only post hidden."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator

import pytest
from mastodon import Mastodon, MastodonNotFoundError

from tests.contract.conftest import ContractServer, RegisteredApp, signed_in_client

pytestmark = pytest.mark.contract


@pytest.fixture(scope="module")
def writer(contract_server: ContractServer, contract_app: RegisteredApp) -> Mastodon:
    return signed_in_client(contract_server, contract_app, "hamid")


@pytest.fixture
def word(writer: Mastodon, hana: Mastodon) -> Iterator[str]:
    """A word no other post has, in a public and a followers-only post by `hamid`."""
    unique = "zq" + uuid.uuid4().hex[:10]
    public = writer.status_post(f"Inquiry {unique} #searchcontract")
    private = writer.status_post(f"Private {unique}", visibility="private")
    yield unique
    for status in (public, private):
        with contextlib.suppress(MastodonNotFoundError):
            writer.status_delete(status.id)


def test_search_v2_finds_posts_accounts_and_hashtags(hana: Mastodon, word: str):
    results = hana.search_v2(word)

    assert len(results.statuses) == 1  # the followers-only post stays hidden from hana
    assert word in results.statuses[0].content
    assert results.statuses[0].account.username == "hamid"
    assert "hamid" in {account.username for account in hana.search_v2("hamid").accounts}
    # Mastodon.py asks for reviewed hashtags only unless told otherwise
    assert hana.search_v2("#searchcontr", result_type="hashtags").hashtags == []
    found = hana.search_v2("#searchcontr", result_type="hashtags", exclude_unreviewed=False)
    tags = found.hashtags
    assert [tag.name for tag in tags] == ["searchcontract"]
