"""The demo's notifications: @demo has some of several kinds, each one true (written by the
real jobs over something that happened to demo, never across a block), and the part can
run again without writing anything twice."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from staffroom.core.demo import DemoContext, build_demo, demo_parts
from staffroom.graph.models import Block, Connection, Follow, FollowRequest
from staffroom.graph.services import mute_create
from staffroom.notifications.demo import demo_notifications
from staffroom.notifications.models import Notification, NotificationKind
from staffroom.posts.models import Favourite, Status
from staffroom.profiles.models import Profile
from tests.conftest import Shared, built_once

USERS = 40


def _quiet(_line: str) -> None:
    """The demo's progress lines are not wanted in test output."""


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker) -> Iterator[Shared[DemoContext]]:
    yield from built_once(django_db_blocker, lambda: build_demo(users=USERS, seed=5, log=_quiet))


@pytest.fixture
def community(built: Shared[DemoContext], db) -> DemoContext:
    """The community, built once for the module (what a test writes is rolled back)."""
    return built.for_test()


def _demo() -> Profile:
    return Profile.objects.get(handle="demo", domain="")


def test_the_notifications_part_comes_after_the_others():
    orders = {part.name: part.order for part in demo_parts()}
    assert orders["notifications"] == 80
    assert max(order for name, order in orders.items() if name != "notifications") < 80


def test_demo_has_notifications_of_several_kinds(community):
    kinds = set(Notification.objects.filter(recipient=_demo()).values_list("kind", flat=True))
    assert {NotificationKind.FOLLOW, NotificationKind.FAVOURITE} <= kinds
    assert len(kinds) >= 3


def test_each_demo_notification_is_about_something_that_happened(community):
    demo = _demo()
    rows = list(Notification.objects.filter(recipient=demo).select_related("status"))
    assert rows
    for row in rows:
        assert row.account_id != demo.pk
        assert row.while_away is False
        if row.kind == NotificationKind.FOLLOW:
            follow = Follow.objects.get(pk=row.source_id)
            assert (follow.follower_id, follow.followee_id) == (row.account_id, demo.pk)
        elif row.kind == NotificationKind.FOLLOW_REQUEST:
            request = FollowRequest.objects.get(pk=row.source_id)
            assert (request.follower_id, request.followee_id) == (row.account_id, demo.pk)
        elif row.kind == NotificationKind.FAVOURITE:
            favourite = Favourite.objects.get(pk=row.source_id)
            assert favourite.account_id == row.account_id
            assert row.status is not None
            assert row.status.account_id == demo.pk
        elif row.kind in (NotificationKind.MENTION, NotificationKind.REBLOG):
            status = Status.objects.get(pk=row.source_id)
            assert status.account_id == row.account_id
        elif row.kind == NotificationKind.CONNECTION_REQUEST:
            connection = Connection.objects.get(pk=row.source_id)
            assert (connection.requester_id, connection.addressee_id) == (row.account_id, demo.pk)


def test_no_demo_notification_crosses_a_block(community):
    pairs = {
        frozenset(pair) for pair in Notification.objects.values_list("recipient_id", "account_id")
    }
    assert pairs
    blocks = {frozenset(pair) for pair in Block.objects.values_list("blocker_id", "blocked_id")}
    assert not pairs & blocks


def test_the_rules_decide_so_a_muted_colleague_notifies_demo_of_nothing(community, run_jobs):
    demo = _demo()
    rows = Notification.objects.filter(recipient=demo)
    first = rows.select_related("account").first()
    assert first is not None
    muted = first.account
    mute_create(actor=demo, target=muted, notifications=True)
    rows.delete()

    demo_notifications(community)

    assert rows.exists()
    assert not rows.filter(account=muted).exists()


def test_the_notifications_part_runs_again_without_writing_anything_twice(community):
    before = sorted(Notification.objects.values_list("recipient_id", "kind", "source_id"))
    demo_notifications(community)
    assert sorted(Notification.objects.values_list("recipient_id", "kind", "source_id")) == before
