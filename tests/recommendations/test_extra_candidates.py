"""The product's own candidate sources: `rank(extra=...)` adds accounts the engine's graph
and profile sources did not propose (never an excluded one), and the `practices` purpose
uses it to bring in who posts most about the teacher's practices."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from staffroom.posts.services import PostText, status_create
from staffroom.recommendations import purposes
from staffroom.recommendations.engine import candidates
from staffroom.recommendations.engine.api import rank
from staffroom.recommendations.engine.features import neighbourhood_of, precompute
from staffroom.recommendations.engine.ranker import Ranker
from staffroom.recommendations.engine.synthetic import synthetic_network
from staffroom.recommendations.selectors import suggestions_for
from staffroom.recommendations.snapshot import current_snapshot, snapshot_build
from tests.conftest import Shared, built_once
from tests.factories import make_profile
from tests.recommendations.community import Community, build_community

NONE = np.zeros(0, dtype=np.int64)
INQUIRY = {"practice:inquiry-based-learning"}


def test_extra_candidates_join_the_pool_unless_excluded():
    arrays = precompute(synthetic_network(3_000, 60_000, seed=5))
    nb = neighbourhood_of(arrays, 7)
    plain = rank(arrays, nb, NONE, Ranker())
    outside = np.setdiff1d(np.arange(arrays.n), plain.pool)
    outside = outside[~np.isin(outside, nb.followees) & (outside != 7)]
    newcomer, blocked = int(outside[0]), int(outside[1])
    followee = int(nb.followees[0])
    extra = np.array([newcomer, blocked, followee, 7], dtype=np.int64)
    ranked = rank(arrays, nb, np.array([blocked]), Ranker(), extra)
    assert newcomer in ranked.pool
    assert blocked not in ranked.pool
    assert followee not in ranked.pool
    assert 7 not in ranked.pool
    assert set(plain.pool.tolist()) < set(ranked.pool.tolist())
    assert ranked.features.shape == (len(ranked.pool), plain.features.shape[1])


# The tests below share one community, built once for them both (what a test writes is rolled
# back after it).


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker) -> Iterator[Shared[Community]]:
    yield from built_once(django_db_blocker, build_community)


@pytest.fixture
def community(built: Shared[Community], db) -> Community:
    return built.for_test()


def test_the_practices_purpose_proposes_who_posts_most_about_your_practices(community):
    poster = community.science10[3]
    status_create(author=poster, draft=PostText(text="Inquiry-based learning in the lab"))
    snapshot_build()
    snap = current_snapshot()
    proposed = purposes.purpose_candidates(snap, INQUIRY, {"practices": 1.0}).tolist()
    assert proposed == [snap.index_of(poster.pk)]
    assert len(purposes.purpose_candidates(snap, INQUIRY, {"resources": 1.0})) == 0
    assert len(purposes.purpose_candidates(snap, {"subject:math"}, {"practices": 1.0})) == 0


def test_posters_are_suggested_for_practices_even_when_the_engine_proposes_no_one(
    community, monkeypatch
):
    poster = community.science10[3]
    status_create(author=poster, draft=PostText(text="Inquiry-based learning in the lab"))
    snapshot_build()
    viewer = make_profile("viewer", subjects=["math"], practices=["inquiry-based-learning"])
    monkeypatch.setattr(candidates, "SOURCES", {})
    monkeypatch.setattr(candidates, "POPULAR", 0)
    assert suggestions_for(viewer, limit=5) == []
    found = suggestions_for(viewer, purpose="practices", limit=5)
    assert [item.profile.handle for item in found] == [poster.handle]


def test_top_indices_breaks_ties_at_the_cut_by_lowest_index():
    from staffroom.recommendations.engine.features import top_indices

    scores = np.array([0.0, 2.0, 1.0, 1.0, 3.0, 1.0, 1.0, 0.0])
    assert sorted(top_indices(scores, 4).tolist()) == [1, 2, 3, 4]
    scores[2] = 0.0  # an account left out at the cut does not reshuffle the others
    assert sorted(top_indices(scores, 4).tolist()) == [1, 3, 4, 5]
    assert sorted(top_indices(scores, 10).tolist()) == [1, 3, 4, 5, 6]
