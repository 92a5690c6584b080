"""The streaming API (server-sent events) against a real `staffroom serve`, driven by stock
Mastodon.py 2.3.3's `stream_*(listener, run_async=True)`: what a teacher's app shows live.

The reader's user stream shows, as they happen, a post of someone she follows, a mention
(as a notification) and a delete; the hashtag, public and list streams show a public post;
what she may not read (a followers-only post of someone she does not follow, a direct
message between others) never arrives. Each negative check waits for a later visible event
first, so it is no sleep: once that one arrived, the earlier one would have too.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.contract.conftest import ContractServer, RegisteredApp
from tests.contract.streaming_support import (
    STREAMING_TEST_TIMEOUT_SECONDS,
    CollectingListener,
    EventLog,
    People,
    assert_no_traceback_since,
    is_event,
    log_offset,
    make_people,
    wait_until_live,
)

# Each test waits on the server several times (each wait bounded): more room than the
# suite's 120 s, for a slow machine.
pytestmark = [pytest.mark.contract, pytest.mark.timeout(STREAMING_TEST_TIMEOUT_SECONDS)]


@pytest.fixture(scope="module")
def people(contract_server: ContractServer, contract_app: RegisteredApp) -> People:
    return make_people(contract_server, contract_app, "sse")


@pytest.fixture(autouse=True)
def no_traceback(contract_server: ContractServer) -> Iterator[None]:
    offset = log_offset(contract_server)
    yield
    assert_no_traceback_since(contract_server, offset)


@contextmanager
def streaming(open_stream: Any, *args: Any, **kwargs: Any) -> Iterator[EventLog]:
    """Opens `open_stream(*args, listener, run_async=True)`; closed on the way out."""
    log = EventLog()
    handle = open_stream(*args, CollectingListener(log), run_async=True, **kwargs)
    try:
        yield log
    finally:
        handle.close()


def _tag() -> str:
    return f"live{secrets.token_hex(4)}"


def test_stream_user_shows_a_post_a_mention_and_a_delete_as_they_happen(people: People):
    with streaming(people.reader.stream_user) as log:
        wait_until_live(log, lambda: people.author.status_post("Probe for the home stream").id)

        post = people.author.status_post("Exit tickets work: one question, two minutes")
        update = log.wait_for(is_event("update", post.id), "update of the author's post")
        assert update.payload.account.acct == people.author.me().acct
        assert "Exit tickets work" in update.payload.content

        mention = people.author.status_post(f"@{people.reader.me().acct} want to try it?")
        notification = log.wait_for(
            lambda e: e.name == "notification" and e.payload.type == "mention",
            "mention notification",
        )
        assert str(notification.payload.status.id) == str(mention.id)
        assert notification.payload.account.acct == people.author.me().acct

        people.author.status_delete(post.id)
        log.wait_for(is_event("delete", post.id), "delete of the author's post")
        people.author.status_delete(mention.id)


def test_stream_user_never_shows_what_the_reader_may_not_see(people: People):
    author_acct = people.author.me().acct
    with (
        streaming(people.reader.stream_user) as home,
        streaming(people.reader.stream_public) as public,
    ):
        wait_until_live(home, lambda: people.author.status_post("Probe, home").id)
        wait_until_live(public, lambda: people.author.status_post("Probe, public").id)

        private = people.stranger.status_post("For my followers only", visibility="private")
        direct = people.stranger.status_post(f"@{author_acct} just us", visibility="direct")
        later = people.author.status_post("A public post after both")
        home.wait_for(is_event("update", later.id), "the later post on the home stream")
        public.wait_for(is_event("update", later.id), "the later post on the public stream")

        for log in (home, public):
            seen = log.ids("update") | log.ids("status.update") | log.ids("notification")
            assert not seen & {str(private.id), str(direct.id)}
    for status in (private, direct):
        people.stranger.status_delete(status.id)


def test_stream_hashtag_and_public_show_a_public_post(people: People):
    tag = _tag()
    with (
        streaming(people.reader.stream_hashtag, tag) as tagged,
        streaming(people.reader.stream_public) as public,
    ):
        # The stranger is followed by no one: only the public streams can show these.
        wait_until_live(tagged, lambda: people.stranger.status_post(f"Probe #{tag}").id)
        wait_until_live(public, lambda: people.stranger.status_post("Probe, public").id)

        post = people.stranger.status_post(f"Retrieval practice on Mondays #{tag}")
        event = tagged.wait_for(is_event("update", post.id), "the post on the hashtag stream")
        assert tag in {t.name.lower() for t in event.payload.tags}
        public.wait_for(is_event("update", post.id), "the post on the public stream")


def test_stream_list_shows_a_post_of_a_member(people: People):
    purpose_list = people.reader.list_create(f"Assessment {secrets.token_hex(3)}")
    people.reader.list_accounts_add(purpose_list.id, [people.author.me().id])
    try:
        with streaming(people.reader.stream_list, purpose_list.id) as log:
            wait_until_live(log, lambda: people.author.status_post("Probe, list").id)
            post = people.author.status_post("Rubrics, shared before the task")
            event = log.wait_for(is_event("update", post.id), "the member's post")
            assert event.payload.account.acct == people.author.me().acct
    finally:
        people.reader.list_delete(purpose_list.id)
