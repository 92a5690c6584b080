"""Merging the SQLite index's segments: never while posting, always in the merge job."""

import pytest
from django.db import connection, transaction

from staffroom.search import engine
from staffroom.search.engine import sqlite
from staffroom.search.query import parse_query
from staffroom.search.services import index_merge, index_merge_all, index_rebuild
from staffroom.search.tasks import search_merge_task
from tests.factories import make_post, make_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("FTS5 segments exist on SQLite only")


def options(kind):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT k, v FROM {sqlite.table(kind)}_config")  # noqa: S608
        return dict(cursor.fetchall())


def segments():
    return sqlite.BACKEND.segment_count("statuses")


def matches(text):
    return [pk for pk, _ in engine.newest_matches("statuses", parse_query(text), limit=100)]


@pytest.mark.parametrize("kind", ["statuses", "accounts"])
def test_every_table_is_migrated_with_merging_off_the_write_path(on_sqlite, kind):
    found = options(kind)
    assert found["automerge"] == sqlite.AUTOMERGE == 0
    assert found["crisismerge"] == sqlite.CRISISMERGE


def test_a_rebuild_keeps_merging_off_the_write_path(on_sqlite):
    make_post(make_profile("ada"), "zephyrine lesson")
    assert index_rebuild("statuses") == 1
    assert options("statuses")["automerge"] == 0
    assert options("statuses")["crisismerge"] == sqlite.CRISISMERGE


def test_a_rebuild_leaves_fresh_statistics_for_the_planner(on_sqlite):
    make_post(make_profile("ada"), "zephyrine lesson")
    index_rebuild("statuses")
    with connection.cursor() as cursor:
        cursor.execute("SELECT tbl FROM sqlite_stat1 WHERE tbl LIKE 'search_statuses_%'")
        analyzed = {name for (name,) in cursor.fetchall()}
    assert {"search_statuses_data", "search_statuses_idx"} <= analyzed


def test_a_rebuild_ends_with_its_segments_merged(on_sqlite):
    ada = make_profile("ada")
    for number in range(12):
        make_post(ada, f"zephyrine lesson {number}")
    index_rebuild("statuses", batch=1)
    assert index_merge("statuses") == 0
    assert len(matches("zephyrine")) == 12


def test_each_post_adds_a_segment_of_its_own(on_sqlite):
    ada = make_profile("ada")
    before = segments()
    for number in range(12):
        make_post(ada, f"zephyrine lesson {number}")
    assert segments() == before + 12


def test_index_writes_merge_nothing_however_much_they_write(on_sqlite):
    # Automatic merging works by pages written: 15 writes of about ten pages each would
    # have set it off. Fewer than `crisismerge` writes, so each leaves its own segment.
    before = segments()
    writes = sqlite.CRISISMERGE - 1
    for number in range(writes):
        words = " ".join(f"w{number}x{index}" for index in range(3000))
        with transaction.atomic():
            engine.upsert("statuses", [(10**15 + number, words)])
    assert segments() == before + writes


def test_the_merge_job_merges_the_segments_and_keeps_the_results(on_sqlite):
    ada = make_profile("ada")
    posts = [make_post(ada, f"zephyrine lesson {number}") for number in range(12)]
    found = matches("zephyrine")
    unmerged = segments()
    search_merge_task()
    assert segments() < unmerged
    assert matches("zephyrine") == found == [post.pk for post in reversed(posts)]
    assert matches("lesson 7") == [posts[7].pk]


def test_a_merge_stops_when_nothing_is_left_to_merge(on_sqlite):
    ada = make_profile("ada")
    for number in range(12):
        make_post(ada, f"zephyrine lesson {number}")
    assert index_merge("statuses", pages=1) >= 1
    assert index_merge("statuses") == 0


def test_merging_answers_on_every_database():
    status = make_post(make_profile("ada"), "zephyrine lesson")
    steps = index_merge_all()
    assert set(steps) == {"statuses", "accounts"}
    assert matches("zephyrine") == [status.pk]


def test_merge_rejects_a_kind_that_is_not_indexed():
    with pytest.raises(ValueError, match="not an indexed search kind"):
        index_merge("hashtags")
