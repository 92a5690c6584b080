"""Posts against a real `staffroom serve`, driven by stock Mastodon.py 2.3.3: posting (with an
idempotency key), editing with history and source, replies and context, favourites,
reshares, bookmarks, an account's posts, deleting, and a followers-only post that another
account cannot see.

Each test signs in for its own tokens and deletes the posts it made (in `finally`), so the
other contract modules see the accounts as they were.
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
def poster(contract_server: ContractServer, contract_app: RegisteredApp) -> Mastodon:
    """`hamid` writes here (the session's `hana` client only reads)."""
    return signed_in_client(contract_server, contract_app, "hamid")


@pytest.fixture(scope="module")
def reader(contract_server: ContractServer, contract_app: RegisteredApp) -> Mastodon:
    return signed_in_client(contract_server, contract_app, "heidi")


@pytest.fixture
def made(poster: Mastodon, reader: Mastodon) -> Iterator[list[tuple[Mastodon, str]]]:
    """Posts to delete after the test: (client of the author, status id)."""
    created: list[tuple[Mastodon, str]] = []
    yield created
    for api, status_id in reversed(created):
        with contextlib.suppress(MastodonNotFoundError):
            api.status_delete(status_id)


def test_posts_post_with_idempotency_key_edit_history_and_source(
    poster: Mastodon, made: list[tuple[Mastodon, str]]
):
    key = f"contract-{uuid.uuid4()}"
    status = poster.status_post("First draft about #fractions", idempotency_key=key)
    made.append((poster, status.id))
    again = poster.status_post("First draft about #fractions", idempotency_key=key)
    assert str(again.id) == str(status.id)
    assert status.visibility == "public"
    assert status.pln["visibility"] == "public"
    assert status.account.username == "hamid"
    assert [tag.name for tag in status.tags] == ["fractions"]
    assert status.favourited is False
    edited = poster.status_update(status.id, "Second draft", spoiler_text="maths")
    assert "Second draft" in edited.content
    assert edited.spoiler_text == "maths"
    assert edited.edited_at is not None
    history = poster.status_history(status.id)
    assert len(history) == 2
    assert "First draft" in history[0].content
    assert history[1].spoiler_text == "maths"
    source = poster.status_source(status.id)
    assert (source.text, source.spoiler_text) == ("Second draft", "maths")
    assert poster.status(status.id).id == status.id


def test_posts_reply_and_context(
    poster: Mastodon, reader: Mastodon, made: list[tuple[Mastodon, str]]
):
    root = poster.status_post("How do you teach long division?")
    made.append((poster, root.id))
    reply = reader.status_reply(root, "With a story about sharing sweets.")
    made.append((reader, reply.id))
    assert str(reply.in_reply_to_id) == str(root.id)
    assert [mention.acct for mention in reply.mentions] == ["hamid"]
    context = poster.status_context(root.id)
    assert [str(item.id) for item in context.descendants] == [str(reply.id)]
    above = reader.status_context(reply.id)
    assert [str(item.id) for item in above.ancestors] == [str(root.id)]
    assert poster.status(root.id).replies_count == 1


def test_posts_favourite_reblog_and_bookmark(
    poster: Mastodon, reader: Mastodon, made: list[tuple[Mastodon, str]]
):
    status = poster.status_post("Exit tickets save my Fridays")
    made.append((poster, status.id))
    favourited = reader.status_favourite(status.id)
    assert favourited.favourited is True
    assert favourited.favourites_count == 1
    assert [account.username for account in poster.status_favourited_by(status.id)] == ["heidi"]
    assert reader.status_unfavourite(status.id).favourited is False
    reshare = reader.status_reblog(status.id)
    made.append((reader, reshare.id))
    assert str(reshare.reblog.id) == str(status.id)
    assert reshare.reblog.reblogged is True
    assert [account.username for account in poster.status_reblogged_by(status.id)] == ["heidi"]
    assert reader.status_bookmark(status.id).bookmarked is True
    assert str(status.id) in {str(item.id) for item in reader.bookmarks()}
    assert reader.status_unbookmark(status.id).bookmarked is False
    assert str(status.id) not in {str(item.id) for item in reader.bookmarks()}


def test_posts_account_statuses_and_delete(poster: Mastodon, made: list[tuple[Mastodon, str]]):
    me = poster.me()
    oldest = poster.status_post("Oldest post")
    first = poster.status_post("Older post")
    second = poster.status_post("Newer post")
    made.extend([(poster, oldest.id), (poster, first.id), (poster, second.id)])
    listed = poster.account_statuses(me.id, limit=2)
    assert [str(item.id) for item in listed] == [str(second.id), str(first.id)]
    assert poster.account(me.id).statuses_count >= 3
    older = poster.fetch_next(listed)  # follows the Link header
    assert older is not None
    assert str(older[0].id) == str(oldest.id)
    deleted = poster.status_delete(second.id)
    assert deleted.text == "Newer post"
    with pytest.raises(MastodonNotFoundError):
        poster.status(second.id)


def test_posts_followers_only_post_is_not_found_for_a_non_follower(
    poster: Mastodon, reader: Mastodon, made: list[tuple[Mastodon, str]]
):
    reader.account_unfollow(poster.me().id)
    status = poster.status_post("Only for my followers", visibility="private")
    made.append((poster, status.id))
    assert status.visibility == "private"
    assert status.pln["visibility"] == "followers"
    with pytest.raises(MastodonNotFoundError):
        reader.status(status.id)
    with pytest.raises(MastodonNotFoundError):
        reader.status_favourite(status.id)
    with pytest.raises(MastodonNotFoundError):
        reader.status_context(status.id)
    mine = {str(item.id) for item in poster.account_statuses(poster.me().id)}
    theirs = {str(item.id) for item in reader.account_statuses(poster.me().id)}
    assert str(status.id) in mine
    assert str(status.id) not in theirs
