"""Scheduled posts against a real `staffroom serve`, driven by stock Mastodon.py 2.3.3:
`status_post(..., scheduled_at=datetime)`, `scheduled_statuses()`, `scheduled_status()`,
`scheduled_status_update()` and `scheduled_status_delete()`; the errors a client sees; and
a due post published by the server's own scheduler and worker. Each test cancels what it
scheduled, so the other contract modules see the accounts as they were."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from mastodon import Mastodon, MastodonAPIError, MastodonNotFoundError

from tests.contract.conftest import ContractServer, RegisteredApp, run_on_server, signed_in_client

pytestmark = pytest.mark.contract

PUBLISH_WAIT_SECONDS = 90.0


@pytest.fixture(scope="module")
def author(contract_server: ContractServer, contract_app: RegisteredApp) -> Mastodon:
    return signed_in_client(contract_server, contract_app, "hamid")


@pytest.fixture(scope="module")
def other(contract_server: ContractServer, contract_app: RegisteredApp) -> Mastodon:
    return signed_in_client(contract_server, contract_app, "heidi")


@pytest.fixture
def scheduled(author: Mastodon) -> Iterator[list[str]]:
    made: list[str] = []
    yield made
    for scheduled_id in made:
        with contextlib.suppress(MastodonNotFoundError):
            author.scheduled_status_delete(scheduled_id)


def _in(delta: timedelta) -> datetime:
    return (datetime.now(UTC) + delta).replace(microsecond=0)


def test_schedule_list_move_and_cancel(author: Mastodon, other: Mastodon, scheduled: list[str]):
    when = _in(timedelta(days=2))
    item = author.status_post(
        "Monday starter: estimate the fractions", scheduled_at=when, visibility="unlisted"
    )
    scheduled.append(str(item.id))
    assert item.scheduled_at == when
    assert item.params.text == "Monday starter: estimate the fractions"
    assert item.params.visibility == "unlisted"
    assert item.media_attachments == []

    assert str(item.id) in [str(row.id) for row in author.scheduled_statuses()]
    assert author.scheduled_status(item.id).params.text == item.params.text

    later = when + timedelta(hours=3)
    moved = author.scheduled_status_update(item.id, later)
    assert moved.scheduled_at == later
    assert author.scheduled_status(item.id).scheduled_at == later

    with pytest.raises(MastodonNotFoundError):
        other.scheduled_status(item.id)
    with pytest.raises(MastodonNotFoundError):
        other.scheduled_status_delete(item.id)
    assert str(item.id) not in [str(row.id) for row in other.scheduled_statuses()]

    author.scheduled_status_delete(item.id)
    with pytest.raises(MastodonNotFoundError):
        author.scheduled_status(item.id)


def test_a_time_too_soon_or_too_far_is_refused(author: Mastodon, scheduled: list[str]):
    with pytest.raises(MastodonAPIError, match="at least 5 minutes"):
        author.status_post("Too soon", scheduled_at=_in(timedelta(minutes=1)))
    with pytest.raises(MastodonAPIError, match="at most a year"):
        author.status_post("Too far", scheduled_at=_in(timedelta(days=3650)))
    item = author.status_post("Fine", scheduled_at=_in(timedelta(days=1)))
    scheduled.append(str(item.id))
    with pytest.raises(MastodonAPIError, match="at least 5 minutes"):
        author.scheduled_status_update(item.id, _in(timedelta(minutes=-5)))


def test_the_list_pages_with_link_headers(author: Mastodon, scheduled: list[str]):
    for number in range(3):
        item = author.status_post(f"Page {number}", scheduled_at=_in(timedelta(days=3)))
        scheduled.append(str(item.id))
    first = author.scheduled_statuses(limit=2)
    assert len(first) == 2
    rest = author.fetch_next(first)
    assert rest is not None
    ids = {str(row.id) for row in [*first, *rest]}
    assert set(scheduled) <= ids


def test_a_due_post_is_published_by_the_server(
    author: Mastodon, contract_server: ContractServer, scheduled: list[str]
):
    item = author.status_post(
        "Published by the scheduler", scheduled_at=_in(timedelta(minutes=10)), visibility="private"
    )
    scheduled.append(str(item.id))
    # Make it due now (the API rightly refuses a time under five minutes ahead).
    run_on_server(
        contract_server,
        [
            "shell",
            "-c",
            "from django.utils import timezone; "
            "from staffroom.scheduling.models import ScheduledStatus; "
            f"ScheduledStatus.objects.filter(pk={int(item.id)})"
            ".update(scheduled_at=timezone.now())",
        ],
    )
    me = author.me()
    deadline = time.monotonic() + PUBLISH_WAIT_SECONDS
    while True:
        posts = author.account_statuses(me.id, limit=10)
        found = [post for post in posts if post.content.find("Published by the scheduler") >= 0]
        if found:
            break
        if time.monotonic() > deadline:
            pytest.fail("the due scheduled post was never published")
        time.sleep(1)
    assert len(found) == 1
    assert found[0].visibility == "private"
    with pytest.raises(MastodonNotFoundError):
        author.scheduled_status(item.id)
    author.status_delete(found[0].id)
