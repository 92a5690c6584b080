"""Counters and idempotency hold under concurrent writers (PostgreSQL: real concurrent
transactions; SQLite serialises writers, so there is nothing to race)."""

from __future__ import annotations

import threading
import time
from functools import partial

import pytest
from django.db import connection, connections, transaction

from staffroom.posts.models import Bookmark, Favourite, IdempotencyKey, Status
from staffroom.posts.services import (
    PostText,
    favourite_create,
    reblog_create,
    status_create,
    status_delete,
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


def test_a_post_deleted_while_a_row_pointing_at_it_is_being_written_still_deletes():
    """A background job (a notification, a timeline entry, a favourite) may be writing a
    row that points at a post in the very moment its author deletes it. The delete must
    wait for that row and take it along, not fail at commit on the foreign key (a 500 to
    the author, the post left standing)."""
    author = make_profile("author")
    reader = make_profile("reader")
    status = status_create(author=author, draft=PostText(text="Soon gone"))
    written = threading.Event()
    errors: list[BaseException] = []

    def write_a_row_slowly() -> None:
        try:
            with transaction.atomic():
                # The foreign key is checked (and the post's row share-locked) at insert
                # rather than at commit: the moment a committing job holds that lock,
                # stretched so the delete surely meets it.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                Bookmark.objects.create(account=reader, status_id=status.pk)
                written.set()
                time.sleep(0.5)  # still uncommitted while the author deletes
        except BaseException as error:  # reported below
            errors.append(error)
            written.set()
        finally:
            connections.close_all()

    writer = threading.Thread(target=write_a_row_slowly)
    writer.start()
    assert written.wait(timeout=30)
    status_delete(actor=author, status=status)
    writer.join(timeout=30)

    assert errors == []
    assert not Status.objects.filter(pk=status.pk).exists()
    assert not Bookmark.objects.filter(status_id=status.pk).exists()
