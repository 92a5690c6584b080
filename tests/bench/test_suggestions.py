"""The suggestions benchmark's network, rows, baseline and report, at a tiny scale."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.db import connection

from bench.rows import Row, adapted_rows, postgres_value, sqlite_value
from bench.suggestions_baseline import fresh_snapshot, recomputing_per_request
from bench.suggestions_network import SuggestionParams, generate
from bench.suggestions_report import write_section
from bench.suggestions_requests import pick_viewers
from bench.suggestions_rows import SuggestionRows
from staffroom.graph.models import Follow, PurposeList
from staffroom.posts.models import Status
from staffroom.profiles import taxonomy
from staffroom.profiles.models import Profile, ProfileTerm
from staffroom.recommendations.models import FeatureSnapshot
from staffroom.recommendations.selectors import suggestions_for
from staffroom.recommendations.snapshot import snapshot_build, snapshot_decode, snapshot_forget

PARAMS = SuggestionParams(teachers=300, follow_median=12, follow_max=40, list_share=0.1)


def _write(table: str, columns: Any, rows: Any, constants: Row) -> None:
    adapt = sqlite_value if connection.vendor == "sqlite" else postgres_value
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {connection.ops.quote_name(table)} ({names}) VALUES ({marks})"  # noqa: S608 - model names
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(adapted_rows(rows, constants, adapt)))


def test_follows_are_capped_distinct_sorted_and_never_of_oneself():
    network = generate(PARAMS).network
    counts = network.follow_counts()
    assert counts.max() <= PARAMS.follow_max
    assert (counts == 0).any()  # some teachers follow no one yet
    for user in range(PARAMS.teachers):
        following = network.following(user)
        assert user not in following
        assert (np.diff(following) > 0).all()


def test_the_same_seed_draws_the_same_network_and_another_seed_another():
    first, again = generate(PARAMS), generate(PARAMS)
    other = generate(SuggestionParams(teachers=300, seed=7, follow_median=12, follow_max=40))
    assert np.array_equal(first.network.followees, again.network.followees)
    assert first.teachers.terms == again.teachers.terms
    assert not np.array_equal(first.network.follow_ptr, other.network.follow_ptr)


def test_terms_are_taxonomy_slugs_and_list_members_are_followees():
    data = generate(PARAMS)
    known = {
        "subject": taxonomy.SUBJECT_SLUGS,
        "grade": taxonomy.GRADE_SLUGS,
        "practice": taxonomy.PRACTICE_SLUGS,
    }
    for _teacher, kind, value in data.teachers.terms:
        assert value in known[kind] if kind in known else value.startswith("topic")
    assert {u for u, kind, _v in data.teachers.terms if kind == "subject"} == set(
        range(PARAMS.teachers)
    )
    network = data.network
    assert len(network.viewers)
    for owner, members in zip(network.viewers.tolist(), network.list_members, strict=True):
        assert set(members.tolist()) <= set(network.following(owner).tolist())


@pytest.fixture
def loaded(settings) -> Any:
    settings.STAFFROOM_DOMAIN = "bench.test"
    data = generate(PARAMS)
    SuggestionRows(data, domain="bench.test").write(_write, lambda _line: None)
    snapshot_forget()
    yield data
    snapshot_forget()


@pytest.mark.django_db
def test_rows_load_into_the_schema(loaded):
    assert Profile.objects.in_good_standing().discoverable().count() == PARAMS.teachers
    assert Follow.objects.count() == len(loaded.network.followees)
    assert ProfileTerm.objects.count() == len(loaded.teachers.terms)
    assert Status.objects.exclude(modality="").count() == len(loaded.network.post_id)
    assert set(PurposeList.objects.values_list("purpose", flat=True)) <= {
        "resources",
        "practices",
        "inspiration",
        "support",
        "mentorship",
    }


@pytest.mark.django_db
def test_the_baseline_recomputes_exactly_the_stored_snapshot(loaded):
    row = snapshot_build()
    stored = FeatureSnapshot.objects.get(pk=row.pk)
    kept = snapshot_decode(stored.pk, stored.created_at, stored.data)
    fresh = fresh_snapshot()
    assert np.array_equal(fresh.profile_ids, kept.profile_ids)
    assert (fresh.arrays.out != kept.arrays.out).nnz == 0
    assert (fresh.terms != kept.terms).nnz == 0
    assert fresh.vocabulary == kept.vocabulary
    assert np.array_equal(fresh.list_ids, kept.list_ids)
    assert np.array_equal(fresh.posts, kept.posts)


@pytest.mark.django_db
def test_suggestions_are_the_same_from_the_snapshot_and_recomputed(loaded):
    snapshot_build()
    viewer = Profile.objects.get(handle=f"t{int(np.argmax(loaded.network.follow_counts()))}")
    stored = [s.profile.pk for s in suggestions_for(viewer, limit=10)]
    with recomputing_per_request():
        recomputed = [s.profile.pk for s in suggestions_for(viewer, limit=10)]
    assert len(stored) == 10
    assert recomputed == stored


@pytest.mark.django_db
def test_viewers_come_from_each_follow_band_interleaved(loaded):
    limits = {"0": (0, 0), "~10": (8, 12), "~100": (80, 120), "500+": (500, 10**9)}
    viewers = pick_viewers(2, seed=1)
    # This small network has no teacher following 80 or more.
    assert [v.band for v in viewers] == ["0", "~10", "0", "~10"]
    for viewer in viewers:
        count = Follow.objects.filter(follower_id=viewer.profile_id).count()
        low, high = limits[viewer.band]
        assert count == viewer.following
        assert low <= count <= high


def test_the_section_goes_after_suggestions_and_is_replaced_in_place(tmp_path: Path):
    path = tmp_path / "BENCHMARKS.md"
    path.write_text("# Benchmarks\n\n## Suggestions\n\nold tables\n\n## Feeds\n\nfeeds\n")
    write_section(path, "## Suggestions on live data\n\nfirst\n")
    write_section(path, "## Suggestions on live data\n\nsecond\n")
    text = path.read_text()
    assert text.count("## Suggestions on live data") == 1
    assert "first" not in text
    assert text.index("old tables") < text.index("second") < text.index("## Feeds")
    assert text.endswith("feeds\n")
