"""Counts stay exact when many people follow at once (PostgreSQL: real concurrent
transactions; SQLite serialises writers, so there is nothing to race)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from functools import partial

import pytest
from django.db import connection, connections

from staffroom.core.exceptions import NotFound
from staffroom.graph.models import Block, Connection, Follow
from staffroom.graph.selectors import follow_counts
from staffroom.graph.services import (
    block_create,
    connection_ask,
    follow_create,
    follow_delete,
)
from tests.factories import make_profile, make_profiles

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent writers: run with DATABASE_URL=postgres://...",
    ),
]


def _in_threads(jobs: Sequence[Callable[[], object]]) -> list[BaseException]:
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job: Callable[[], object]) -> None:
        try:
            barrier.wait()
            job()
        except BaseException as error:  # reported to the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_concurrent_follows_keep_counts_exact():
    star = make_profile("star")
    fans = make_profiles(12, "fan")

    errors = _in_threads(
        [partial(follow_create, actor=fan, target=star) for fan in fans]
        + [partial(follow_create, actor=star, target=fan) for fan in fans]
    )

    assert errors == []
    counts = follow_counts([star.pk, fans[0].pk])
    assert counts[star.pk].followers_count == 12
    assert counts[star.pk].following_count == 12
    assert counts[fans[0].pk].followers_count == 1


def test_concurrent_duplicate_follows_make_one_row():
    star = make_profile("star")
    fan = make_profile("fan")

    errors = _in_threads([partial(follow_create, actor=fan, target=star) for _ in range(8)])

    assert errors == []
    assert Follow.objects.filter(follower=fan, followee=star).count() == 1
    assert follow_counts([star.pk])[star.pk].followers_count == 1


def test_concurrent_follow_and_unfollow_counts_match_rows():
    star = make_profile("star")
    fans = make_profiles(10, "fan")
    for fan in fans[:5]:
        follow_create(actor=fan, target=star)

    errors = _in_threads(
        [partial(follow_delete, actor=fan, target=star) for fan in fans[:5]]
        + [partial(follow_create, actor=fan, target=star) for fan in fans[5:]]
    )

    assert errors == []
    assert follow_counts([star.pk])[star.pk].followers_count == 5
    assert set(Follow.objects.values_list("follower_id", flat=True)) == {f.pk for f in fans[5:]}


def test_crossing_connection_asks_make_one_record():
    first, second = make_profiles(2, "peer")

    errors = _in_threads(
        [
            partial(connection_ask, actor=first, target=second),
            partial(connection_ask, actor=second, target=first),
        ]
    )

    assert errors == []
    assert Connection.objects.count() == 1


def test_a_follow_racing_a_block_never_survives_it():
    pairs = [tuple(make_profiles(2, f"pair{n}x")) for n in range(6)]

    errors = _in_threads(
        [partial(follow_create, actor=fan, target=blocker) for blocker, fan in pairs]
        + [partial(block_create, actor=blocker, target=fan) for blocker, fan in pairs]
    )

    # A follow that lost the race is refused (NotFound: the blocker is hidden from the fan).
    assert all(isinstance(error, NotFound) for error in errors)
    assert Block.objects.count() == 6
    assert not Follow.objects.exists()
