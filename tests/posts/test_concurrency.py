"""Counters and idempotency hold under concurrent writers (PostgreSQL: real concurrent
transactions; SQLite serialises writers, so there is nothing to race)."""

from __future__ import annotations

from functools import partial

import pytest
from django.db import connection

from staffroom.posts.models import Favourite, IdempotencyKey, Status
from staffroom.posts.services import (
    PostText,
    favourite_create,
    reblog_create,
    status_create,
)
from tests.factories import make_profile, make_profiles
from tests.graph.test_concurrency import _in_threads

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent writers: run with DATABASE_URL=postgres://...",
    ),
]


def test_concurrent_favourites_and_reshares_keep_counters_exact():
    author = make_profile("author")
    status = status_create(author=author, draft=PostText(text="Popular resource"))
    fans = make_profiles(10, "fan")

    errors = _in_threads(
        [partial(favourite_create, actor=fan, status=status) for fan in fans]
        + [partial(reblog_create, actor=fan, status=status) for fan in fans]
        + [partial(favourite_create, actor=fans[0], status=status) for _ in range(4)]
    )

    assert errors == []
    status.refresh_from_db()
    assert status.favourites_count == Favourite.objects.filter(status=status).count() == 10
    assert status.reblogs_count == Status.objects.filter(reblog_of=status).count() == 10


def test_concurrent_replies_keep_the_reply_count_exact():
    author = make_profile("author")
    root = status_create(author=author, draft=PostText(text="Question"))
    repliers = make_profiles(10, "replier")

    errors = _in_threads(
        [
            partial(status_create, author=replier, draft=PostText(text="answer"), in_reply_to=root)
            for replier in repliers
        ]
    )

    assert errors == []
    root.refresh_from_db()
    assert root.replies_count == Status.objects.filter(in_reply_to=root).count() == 10


def test_the_same_idempotency_key_sent_at_once_posts_once():
    author = make_profile("author")
    answers: list[Status] = []

    def post() -> None:
        answers.append(
            status_create(author=author, draft=PostText(text="once"), idempotency_key="k1")
        )

    errors = _in_threads([post for _ in range(6)])

    assert errors == []
    assert Status.objects.filter(account=author).count() == 1
    assert IdempotencyKey.objects.filter(account=author).count() == 1
    assert {status.pk for status in answers} == {Status.objects.get(account=author).pk}
