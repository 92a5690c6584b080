"""Notifications against a real `staffroom serve`, driven by stock Mastodon.py 2.3.3:
reading them (one page, one by id, the next page through the Link header), filtering by
type and account, the grouped notifications of Mastodon 4.3, the unread counts moved by
the notifications marker, dismissing one and clearing all.

`hamid` favourites, replies to and follows a post of `heidi`'s; the server's worker writes
her notifications a moment later, and the tests wait for them (at most
NOTIFY_WAIT_SECONDS). What the test did is undone at the end (posts deleted, the follow
removed, her notifications cleared), so the other contract modules see the accounts as they
were (a lock on heidi's account included; SECURITY-PLAN I-4)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Any

import pytest
from mastodon import Mastodon, MastodonNotFoundError

from tests.contract.conftest import ContractServer, RegisteredApp, signed_in_client

pytestmark = pytest.mark.contract

NOTIFY_WAIT_SECONDS = 30.0
EXPECTED = {"favourite", "mention", "follow"}


@pytest.fixture(scope="module")
def actor(contract_server: ContractServer, contract_app: RegisteredApp) -> Mastodon:
    return signed_in_client(contract_server, contract_app, "hamid")


@pytest.fixture(scope="module")
def recipient(contract_server: ContractServer, contract_app: RegisteredApp) -> Mastodon:
    return signed_in_client(contract_server, contract_app, "heidi")


@pytest.fixture
def noticed(actor: Mastodon, recipient: Mastodon) -> Iterator[dict[str, Any]]:
    """heidi starts with no notifications; hamid favourites and replies to her new post and
    follows her. Another module may have locked her account (a follow would then be a
    request): she is unlocked for the test. Everything is undone afterwards."""
    was_locked = bool(recipient.me().locked)
    if was_locked:
        recipient.account_update_credentials(locked=False)
    recipient.notifications_clear()
    status = recipient.status_post("Notify me about this lesson")
    actor.status_favourite(status.id)
    reply = actor.status_reply(status, "Great lesson!")
    actor.account_follow(recipient.me().id)
    try:
        yield {"status": status, "reply": reply, "actor_id": str(actor.me().id)}
    finally:
        actor.account_unfollow(recipient.me().id)
        for client, made in ((actor, reply), (recipient, status)):
            with contextlib.suppress(MastodonNotFoundError):
                client.status_delete(made.id)
        recipient.notifications_clear()
        if was_locked:
            recipient.account_update_credentials(locked=True)


def _wait_for_all(recipient: Mastodon) -> list[Any]:
    """heidi's notifications once the worker wrote all three (newest first)."""
    deadline = time.monotonic() + NOTIFY_WAIT_SECONDS
    while True:
        page = recipient.notifications(limit=40)
        if {item.type for item in page} >= EXPECTED:
            return list(page)
        if time.monotonic() > deadline:
            found = [item.type for item in page]
            pytest.fail(f"notifications not written after {NOTIFY_WAIT_SECONDS:.0f}s: {found}")
        time.sleep(0.25)


def test_notifications_read_one_by_id_and_page_through_link_headers(
    recipient: Mastodon, noticed: dict[str, Any]
):
    page = _wait_for_all(recipient)
    by_type = {item.type: item for item in page}
    assert all(item.account.acct == "hamid" for item in page)
    assert str(by_type["mention"].status.id) == str(noticed["reply"].id)
    assert str(by_type["favourite"].status.id) == str(noticed["status"].id)
    assert by_type["follow"].status is None
    one = recipient.notifications(id=by_type["mention"].id)
    assert (one.id, one.type) == (by_type["mention"].id, "mention")
    first = recipient.notifications(limit=1)
    older = recipient.fetch_next(first)
    assert older is not None
    assert [str(item.id) for item in older] == [str(page[1].id)]


def test_notifications_filter_by_types_and_account(recipient: Mastodon, noticed: dict[str, Any]):
    _wait_for_all(recipient)
    assert [item.type for item in recipient.notifications(types=["mention"])] == ["mention"]
    unknown_ignored = recipient.notifications(types=["follow", "poll"])
    assert [item.type for item in unknown_ignored] == ["follow"]
    kept = {item.type for item in recipient.notifications(exclude_types=["follow", "poll"])}
    assert kept == {"favourite", "mention"}
    from_hamid = recipient.notifications(account_id=noticed["actor_id"])
    assert {item.type for item in from_hamid} == EXPECTED


def test_notifications_grouped(recipient: Mastodon, noticed: dict[str, Any]):
    _wait_for_all(recipient)
    results = recipient.grouped_notifications(types=["favourite", "follow", "mention"])
    groups = {group.type: group for group in results.notification_groups}
    assert set(groups) == EXPECTED
    favourites = groups["favourite"]
    assert favourites.notifications_count == 1
    assert str(favourites.status_id) == str(noticed["status"].id)
    assert [str(account_id) for account_id in favourites.sample_account_ids] == [
        noticed["actor_id"]
    ]
    assert [account.acct for account in results.accounts] == ["hamid"]
    assert {str(status.id) for status in results.statuses} == {
        str(noticed["status"].id),
        str(noticed["reply"].id),
    }


def test_notifications_unread_count_follows_the_marker(
    recipient: Mastodon, noticed: dict[str, Any]
):
    page = _wait_for_all(recipient)
    recipient.markers_set("notifications", page[-1].id)
    assert recipient.notifications_unread_count().count == 2
    assert recipient.unread_grouped_notifications_count() == 2
    recipient.markers_set("notifications", page[0].id)
    assert recipient.notifications_unread_count().count == 0
    assert recipient.unread_grouped_notifications_count() == 0


def test_notifications_dismiss_and_clear(recipient: Mastodon, noticed: dict[str, Any]):
    newest, *others = _wait_for_all(recipient)
    recipient.notifications_dismiss(newest.id)
    with pytest.raises(MastodonNotFoundError):
        recipient.notifications(id=newest.id)
    assert [str(item.id) for item in recipient.notifications()] == [str(n.id) for n in others]
    recipient.notifications_clear()
    assert list(recipient.notifications()) == []
