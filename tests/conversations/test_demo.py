"""The demo's conversations: the direct messages the posts part wrote show up as
conversations (rebuilt after the bulk load), @demo has some, the newest from others
unread, and every row agrees with the posts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from staffroom.conversations.models import Conversation
from staffroom.conversations.selectors import conversations_for
from staffroom.core.demo import DemoContext, build_demo
from staffroom.posts.models import Status, Visibility
from staffroom.posts.selectors import visible_statuses
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
    return built.for_test()


def test_the_demo_has_conversations_that_agree_with_the_posts(community):
    rows = list(Conversation.objects.select_related("owner", "last_status"))
    assert len(rows) >= 4
    for row in rows:
        newest = (
            visible_statuses(row.owner)
            .filter(thread_id=row.thread_id, visibility=Visibility.DIRECT)
            .order_by("-id")
            .first()
        )
        assert newest is not None
        assert row.last_status_id == newest.pk
    direct_threads = set(
        Status.objects.filter(visibility=Visibility.DIRECT).values_list("thread_id", flat=True)
    )
    assert {row.thread_id for row in rows} == direct_threads


def test_demo_has_conversations_the_newest_from_others_unread(community):
    demo = Profile.objects.get(handle="demo", domain="")
    page = conversations_for(demo, limit=40)
    assert page
    unread = [row for row in page if row.is_unread]
    assert 1 <= len(unread) <= 2
    assert all(row.last_status and row.last_status.account_id != demo.pk for row in unread)
