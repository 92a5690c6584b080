"""Search against a real `staffroom serve`, driven by stock Mastodon.py 2.3.3: `search_v2`
and `account_search` as each account may see (hashtags and trends have their own modules).

`hamid` posts, `hana` searches, `heidi` is the stranger. Each test deletes what it posted, so
the other contract modules see the accounts as they were.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator

import pytest
from mastodon import Mastodon, MastodonNotFoundError

from tests.contract.conftest import ContractServer, RegisteredApp, signed_in_client

pytestmark = pytest.mark.contract


@pytest.fixture(scope="module")
def hamid(contract_server: ContractServer, contract_app: RegisteredApp) -> Mastodon:
    return signed_in_client(contract_server, contract_app, "hamid")


@pytest.fixture(scope="module")
def heidi(contract_server: ContractServer, contract_app: RegisteredApp) -> Mastodon:
    return signed_in_client(contract_server, contract_app, "heidi")


@pytest.fixture
def posted(hamid: Mastodon) -> Iterator[list[str]]:
    """Ids of `hamid`'s posts to delete after the test."""
    made: list[str] = []
    yield made
    for status_id in made:
        with contextlib.suppress(MastodonNotFoundError):
            hamid.status_delete(status_id)


def _word() -> str:
    """A word no other post carries, so a search finds only this test's posts."""
    return "zq" + uuid.uuid4().hex[:10]


def test_search_v2_finds_public_posts_and_keeps_followers_only_ones_from_strangers(
    hamid: Mastodon, hana: Mastodon, heidi: Mastodon, posted: list[str]
) -> None:
    word = _word()
    public = hamid.status_post(f"Inquiry ratios {word} with tape diagrams", visibility="public")
    private = hamid.status_post(f"Quiz key {word} for my followers", visibility="private")
    posted.extend([public.id, private.id])

    found = heidi.search_v2(word, result_type="statuses")
    assert [status.id for status in found.statuses] == [public.id]
    assert found.accounts == []
    assert found.hashtags == []
    # The author finds both of his own posts.
    mine = hamid.search_v2(word, result_type="statuses")
    assert {status.id for status in mine.statuses} == {public.id, private.id}


def test_account_search_and_search_v2_find_a_teacher_by_handle(hana: Mastodon) -> None:
    by_search = hana.search_v2("hamid", result_type="accounts")
    assert [account.acct for account in by_search.accounts] == ["hamid"]
    by_account_search = hana.account_search("hamid")
    assert "hamid" in [account.acct for account in by_account_search]


def test_search_v2_finds_hashtags_reviewed_only_when_asked(
    hamid: Mastodon, hana: Mastodon, posted: list[str]
) -> None:
    tag = f"searchcontract{_word()}"
    posted.append(hamid.status_post(f"Inquiry #{tag}").id)
    # Mastodon.py asks for reviewed hashtags only unless told otherwise.
    assert hana.search_v2(f"#{tag}", result_type="hashtags").hashtags == []
    found = hana.search_v2(f"#{tag}", result_type="hashtags", exclude_unreviewed=False)
    assert [item.name for item in found.hashtags] == [tag]
    assert found.hashtags[0].following is False
