"""The search benchmark's rows load into the real schema, the rebuilt index finds the
planted words, and the measuring functions run, at a small scale."""

from __future__ import annotations

import pytest

from bench.search import searches_table, upkeep_table
from bench.search_data import COMMON, RARE, SearchParams, SearchRows
from bench.search_run import _rebuild, measure_posting, measure_searches
from staffroom.posts.models import Status
from staffroom.profiles.models import Profile
from staffroom.search.selectors import search
from tests.bench.test_rows import _write

PARAMS = SearchParams(teachers=30, posts=3000, seed=3)


@pytest.fixture
def loaded(db, settings):
    settings.STAFFROOM_DOMAIN = "bench.test"
    SearchRows(PARAMS, domain="bench.test").write(_write, lambda _line: None)
    _rebuild()
    return list(Profile.objects.select_related("user")[:5])


def test_the_rows_hold_the_planted_words_at_their_rates(loaded):
    assert Status.objects.count() == PARAMS.posts
    common = Status.objects.filter(text__contains=COMMON).count()
    assert 0.2 * PARAMS.posts < common < 0.3 * PARAMS.posts
    assert Status.objects.filter(text__contains="#edchat", tags__normalized="edchat").exists()


def test_the_rebuilt_index_finds_what_like_finds(loaded):
    viewer = loaded[0]
    found = search(viewer, COMMON, kinds=["statuses"], limit=40).statuses
    assert len(found) == 40
    assert all(COMMON in status.text for status in found)
    rare = search(viewer, RARE, kinds=["statuses"]).statuses
    assert all(RARE in status.text for status in rare)


def test_the_measurements_run_and_print(loaded):
    searches = measure_searches(loaded, reps=2, baseline_reps=2)
    assert set(searches) == {"common word", "rare word", "phrase", "#tag"}
    assert searches["common word"]["results"] == 20
    posting = measure_posting(loaded, 2)
    assert posting["with_index"]["n"] == 2
    report = {"db": "sqlite", "searches": searches, "posting": posting, "rebuild": _rebuild()}
    assert "common word" in searches_table([report])
    assert "sqlite" in upkeep_table([report])
