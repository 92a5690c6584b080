"""Conversations against a real `staffroom serve`, driven by stock Mastodon.py 2.3.3:
`conversations()` (the entity, paging through the Link header), `conversations_read(id)`,
someone else's conversation id (404), deleting one for oneself (Mastodon.py has no call
for `DELETE /api/v1/conversations/:id`: plain HTTP with the client's token), and the
`conversation` event of `stream_direct`.

`hamid` writes two direct messages to `hana`; each test undoes what it did (the posts are
deleted, and their conversations go with them), so other modules see the accounts as they
were."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Any

import pytest
from mastodon import Mastodon, MastodonAPIError, MastodonNotFoundError

from tests.contract.conftest import (
    ContractServer,
    RegisteredApp,
    bearer_session,
    signed_in_client,
)
from tests.contract.streaming_support import (
    LIVE_TIMEOUT_SECONDS,
    PROBE_EVERY_SECONDS,
    STREAMING_TEST_TIMEOUT_SECONDS,
    CollectingListener,
    EventLog,
)

pytestmark = pytest.mark.contract


@pytest.fixture(scope="module")
def sender(contract_server: ContractServer, contract_app: RegisteredApp) -> Mastodon:
    return signed_in_client(contract_server, contract_app, "hamid")


@pytest.fixture(scope="module")
def outsider(contract_server: ContractServer, contract_app: RegisteredApp) -> Mastodon:
    return signed_in_client(contract_server, contract_app, "hugo")


@pytest.fixture
def messages(hana: Mastodon, sender: Mastodon) -> Iterator[dict[str, Any]]:
    """Two direct threads from hamid to hana, the newer one last; deleted afterwards."""
    older = sender.status_post("@hana can I borrow your fractions slides?", visibility="direct")
    newer = sender.status_post("@hana staff meeting moved to Thursday", visibility="direct")
    made = [older, newer]
    try:
        yield {"older": older, "newer": newer, "made": made, "hana_id": str(hana.me().id)}
    finally:
        for status in reversed(made):
            for client in (sender, hana):  # the author's call deletes it; the other's is refused
                with contextlib.suppress(MastodonAPIError):
                    client.status_delete(status.id)


def _ours(page: Any, messages: dict[str, Any]) -> list[Any]:
    ids = {str(status.id) for status in messages["made"]}
    return [item for item in page if item.last_status and str(item.last_status.id) in ids]


def test_conversations_lists_the_recipients_threads(hana: Mastodon, messages: dict[str, Any]):
    page = _ours(hana.conversations(), messages)
    assert [str(item.last_status.id) for item in page] == [
        str(messages["newer"].id),
        str(messages["older"].id),
    ]
    first = page[0]
    assert first.unread is True
    assert [account.acct for account in first.accounts] == ["hamid"]
    assert first.last_status.visibility == "direct"


def test_conversations_page_through_the_link_header(hana: Mastodon, messages: dict[str, Any]):
    first = hana.conversations(limit=1)
    assert [str(item.last_status.id) for item in first] == [str(messages["newer"].id)]
    older = hana.fetch_next(first)
    assert older is not None
    assert [str(item.last_status.id) for item in older] == [str(messages["older"].id)]


def test_conversations_read_marks_one_read(
    hana: Mastodon, sender: Mastodon, messages: dict[str, Any]
):
    target = _ours(hana.conversations(), messages)[0]
    read = hana.conversations_read(target.id)
    assert (str(read.id), read.unread) == (str(target.id), False)
    again = {str(item.id): item.unread for item in hana.conversations()}
    assert again[str(target.id)] is False
    # The sender's own post never made it unread for him.
    assert all(item.unread is False for item in _ours(sender.conversations(), messages))


def test_a_reply_keeps_the_thread_and_marks_it_unread_again(
    hana: Mastodon, sender: Mastodon, messages: dict[str, Any]
):
    target = _ours(sender.conversations(), messages)[0]
    reply = hana.status_reply(messages["newer"], "Thursday works for me", visibility="direct")
    messages["made"].append(reply)
    updated = {str(item.id): item for item in sender.conversations()}[str(target.id)]
    assert str(updated.last_status.id) == str(reply.id)
    assert updated.unread is True


def test_someone_elses_conversation_is_not_found(
    hana: Mastodon, outsider: Mastodon, messages: dict[str, Any]
):
    target = _ours(hana.conversations(), messages)[0]
    assert _ours(outsider.conversations(), messages) == []
    with pytest.raises(MastodonNotFoundError):
        outsider.conversations_read(target.id)


def test_deleting_a_conversation_removes_it_for_the_caller_only(
    contract_server: ContractServer,
    hana: Mastodon,
    sender: Mastodon,
    messages: dict[str, Any],
):
    target = _ours(hana.conversations(), messages)[0]
    url = f"{contract_server.base_url}/api/v1/conversations/{target.id}"
    response = bearer_session(hana).delete(url, timeout=30)
    assert (response.status_code, response.json()) == (200, {})
    assert str(target.id) not in {str(item.id) for item in hana.conversations()}
    assert len(_ours(sender.conversations(), messages)) == 2
    again = bearer_session(hana).delete(url, timeout=30)
    assert (again.status_code, again.json()) == (404, {"error": "Record not found"})


def _last_status_id(event: Any) -> str | None:
    last = event.payload.get("last_status") if isinstance(event.payload, dict) else None
    return None if last is None else str(last["id"])


@pytest.mark.timeout(STREAMING_TEST_TIMEOUT_SECONDS)
def test_stream_direct_shows_each_new_message_as_a_conversation(
    hana: Mastodon, sender: Mastodon, messages: dict[str, Any]
):
    """hamid writes to hana until her direct stream shows one (the stream is live), each
    message a `conversation` event holding her own Conversation of it."""
    log = EventLog()
    handle = hana.stream_direct(CollectingListener(log), run_async=True)
    try:
        deadline = time.monotonic() + LIVE_TIMEOUT_SECONDS
        sent: list[str] = []
        while time.monotonic() < deadline:
            status = sender.status_post("@hana are you there?", visibility="direct")
            messages["made"].append(status)
            sent.append(str(status.id))
            with contextlib.suppress(pytest.fail.Exception):
                event = log.wait_for(
                    lambda e: e.name == "conversation" and _last_status_id(e) in sent,
                    "conversation event",
                    timeout=PROBE_EVERY_SECONDS,
                )
                break
        else:
            pytest.fail(f"no conversation event for {len(sent)} messages")
        assert event.payload["unread"] is True
        assert [account["acct"] for account in event.payload["accounts"]] == ["hamid"]
        listed = {str(item.id) for item in hana.conversations(limit=40)}
        assert str(event.payload["id"]) in listed
        assert not [e for e in log.snapshot() if e.name == "update"]
    finally:
        handle.close()
