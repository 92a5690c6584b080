"""Notification filtering and grouped-notification routes (Mastodon 4.3) against a real
`staffroom serve`, driven by stock Mastodon.py 2.3.3: the policy (read and changed), private
mentions put aside under notification requests (listed, read one by one, accepted into
the list, dismissed, in bulk), `notifications_merged`, and one notification group (read,
its accounts, dismissed).

`hugo` is the recipient; `hana`, `hamid` and `heidi` write to him. Everything is undone at
the end (policy back to Mastodon's defaults, posts deleted, notifications cleared), so the
other contract modules see the accounts as they were. An accepted sender stays accepted:
nothing in Mastodon's API takes that back."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from mastodon import Mastodon, MastodonNotFoundError

from tests.contract.conftest import ContractServer, RegisteredApp, signed_in_client

pytestmark = pytest.mark.contract

WAIT_SECONDS = 30.0
DEFAULTS = {
    "for_not_following": "accept",
    "for_not_followers": "accept",
    "for_new_accounts": "accept",
    "for_private_mentions": "filter",
    "for_limited_accounts": "filter",
}
EVERYTHING_FILTERED = dict.fromkeys(DEFAULTS, "filter")


def _client(server: ContractServer, app: RegisteredApp, handle: str) -> Mastodon:
    return signed_in_client(server, app, handle)


@pytest.fixture(scope="module")
def hugo(contract_server: ContractServer, contract_app: RegisteredApp) -> Mastodon:
    return _client(contract_server, contract_app, "hugo")


@pytest.fixture(scope="module")
def senders(contract_server: ContractServer, contract_app: RegisteredApp) -> dict[str, Mastodon]:
    return {
        handle: _client(contract_server, contract_app, handle)
        for handle in ("hana", "hamid", "heidi")
    }


def _wait(read: Callable[[], Any], done: Callable[[Any], bool], what: str) -> Any:
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        found = read()
        if done(found):
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"{what} not there after {WAIT_SECONDS:.0f}s: {found}")
        time.sleep(0.25)


@pytest.fixture
def clean(hugo: Mastodon, senders: dict[str, Mastodon]) -> Iterator[list[tuple[Mastodon, Any]]]:
    """Posts made during the test (client, status) are deleted afterwards; hugo's policy
    goes back to the defaults and his notifications and requests are cleared."""
    hugo.notifications_clear()
    made: list[tuple[Mastodon, Any]] = []
    try:
        yield made
    finally:
        for client, status in made:
            with contextlib.suppress(MastodonNotFoundError):
                client.status_delete(status.id)
        pending = hugo.notification_requests(limit=80)
        if pending:
            hugo.dismiss_multiple_notification_requests([request.id for request in pending])
        hugo.update_notifications_policy(**DEFAULTS)
        hugo.notifications_clear()


def test_policy_read_and_changed(hugo: Mastodon, clean: list[Any]):
    policy = hugo.notifications_policy()
    assert {key: policy[key] for key in DEFAULTS} == DEFAULTS
    assert set(policy.summary) == {"pending_requests_count", "pending_notifications_count"}
    changed = hugo.update_notifications_policy(for_new_accounts="drop")
    assert changed.for_new_accounts == "drop"
    assert changed.for_private_mentions == "filter"
    assert hugo.notifications_policy().for_new_accounts == "drop"


def test_requests_accept_dismiss_and_bulk(
    hugo: Mastodon, senders: dict[str, Mastodon], clean: list[Any]
):
    hugo.update_notifications_policy(**EVERYTHING_FILTERED)
    for handle, client in senders.items():
        status = client.status_post(f"@hugo a private word from {handle}", visibility="direct")
        clean.append((client, status))
    requests = _wait(
        lambda: hugo.notification_requests(limit=80),
        lambda found: len(found) == 3,
        "three notification requests",
    )
    by_sender = {request.account.acct: request for request in requests}
    assert set(by_sender) == {"hana", "hamid", "heidi"}
    assert all(request.notifications_count == "1" for request in requests)
    assert hugo.notifications(types=["mention"]) == []
    assert hugo.notifications_policy().summary.pending_requests_count == 3

    one = hugo.notification_request(by_sender["hana"].id)
    assert one.account.acct == "hana"
    assert "a private word from hana" in one.last_status.content

    hugo.accept_notification_request(by_sender["hana"].id)
    assert hugo.notifications_merged() is True
    mentions = hugo.notifications(types=["mention"])
    assert [item.account.acct for item in mentions] == ["hana"]

    hugo.dismiss_notification_request(by_sender["hamid"].id)
    with pytest.raises(MastodonNotFoundError):
        hugo.notification_request(by_sender["hamid"].id)
    hugo.dismiss_multiple_notification_requests([by_sender["heidi"].id])
    hugo.accept_multiple_notification_requests([by_sender["heidi"].id])  # gone: ignored
    assert hugo.notification_requests() == []

    later = senders["hana"].status_post("@hugo and one more thing", visibility="direct")
    clean.append((senders["hana"], later))
    _wait(
        lambda: hugo.notifications(types=["mention"]),
        lambda found: len(found) == 2,
        "hana's later mention in the list",
    )
    assert hugo.notification_requests() == []


def test_one_group_its_accounts_and_dismissal(
    hugo: Mastodon, senders: dict[str, Mastodon], clean: list[Any]
):
    status = hugo.status_post("Our reading list for the term")
    clean.append((hugo, status))
    for handle in ("hana", "hamid"):
        senders[handle].status_favourite(status.id)
    key = f"favourite-{status.id}"

    def read() -> Any:
        try:
            return hugo.grouped_notification(key)
        except MastodonNotFoundError:  # the worker has not written the first one yet
            return None

    group = _wait(
        read,
        lambda found: found is not None and found.notification_groups[0].notifications_count == 2,
        "two favourites in one group",
    )
    assert group.notification_groups[0].type == "favourite"
    assert str(group.notification_groups[0].status_id) == str(status.id)
    accounts = hugo.grouped_notification_accounts(key)
    assert {account.acct for account in accounts} == {"hana", "hamid"}
    hugo.dismiss_grouped_notification(key)
    with pytest.raises(MastodonNotFoundError):
        hugo.grouped_notification(key)
