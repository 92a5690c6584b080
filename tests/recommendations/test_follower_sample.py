"""A teacher with many followers is read through a sample of them for candidate picking;
the features of the pool, and so the ranking and its words, still count every follower."""

from __future__ import annotations

import numpy as np
import pytest

from staffroom.recommendations.engine import features
from staffroom.recommendations.engine.api import rank, suggest
from staffroom.recommendations.engine.features import (
    COLUMN,
    Neighbourhood,
    follower_sample,
    neighbourhood_of,
    precompute,
    signals,
    with_exact_follower_counts,
)
from staffroom.recommendations.engine.ranker import Ranker
from staffroom.recommendations.engine.synthetic import synthetic_network


@pytest.fixture(scope="module")
def arrays():
    return precompute(synthetic_network(3_000, 60_000, seed=3))


def _most_followed(arrays) -> Neighbourhood:
    return neighbourhood_of(arrays, int(np.argmax(arrays.indeg)))


def test_a_small_follower_set_is_used_whole():
    followers = np.array([9, 3, 5], dtype=np.int64)
    sample, scale = follower_sample(followers)
    assert sample is followers
    assert scale == 1.0


def test_a_large_follower_set_gives_the_same_evenly_spaced_sample_every_time(monkeypatch):
    monkeypatch.setattr(features, "FOLLOWER_SAMPLE", 10)
    followers = np.random.default_rng(1).permutation(np.arange(0, 400, 4)).astype(np.int64)
    sample, scale = follower_sample(followers)
    again, _ = follower_sample(followers[::-1].copy())
    assert len(sample) == 10
    assert scale == 10.0
    assert np.array_equal(sample, again)
    assert sample[0] == 0
    assert sample[-1] == 396
    assert np.all(np.diff(sample) > 0)


def test_sampled_follower_signals_estimate_the_exact_counts(arrays, monkeypatch):
    nb = _most_followed(arrays)
    exact = signals(arrays, nb)
    monkeypatch.setattr(features, "FOLLOWER_SAMPLE", len(nb.followers) // 4)
    sampled = signals(arrays, nb)
    assert sampled.followers_sampled
    assert not exact.followers_sampled
    for name in ("in_out", "in_in"):
        truth, estimate = exact.values[name], sampled.values[name]
        assert not np.array_equal(truth, estimate)  # really an estimate
        # Totals agree within a few percent, and the most followed by followers stay on top.
        assert estimate.sum() == pytest.approx(truth.sum(), rel=0.1)
        top_truth = set(np.argsort(-truth)[:20].tolist())
        top_estimate = set(np.argsort(-estimate)[:20].tolist())
        assert len(top_truth & top_estimate) >= 10


def _followers_of(arrays, account: int) -> set[int]:
    return set(
        arrays.inc.indices[arrays.inc.indptr[account] : arrays.inc.indptr[account + 1]].tolist()
    )


def _followees_of(arrays, account: int) -> set[int]:
    return set(
        arrays.out.indices[arrays.out.indptr[account] : arrays.out.indptr[account + 1]].tolist()
    )


def test_counts_shown_in_words_are_exact_even_when_ranking_used_a_sample(arrays, monkeypatch):
    nb = _most_followed(arrays)
    monkeypatch.setattr(features, "FOLLOWER_SAMPLE", len(nb.followers) // 4)
    ranked = rank(arrays, nb, np.zeros(0, dtype=np.int64), Ranker())
    shown = ranked.pool[:50]
    rows = with_exact_follower_counts(arrays, nb, shown, ranked.features[:50])
    followers = set(nb.followers.tolist())
    exact_in_out = [len(followers & _followers_of(arrays, c)) for c in shown.tolist()]
    exact_in_in = [len(followers & _followees_of(arrays, c)) for c in shown.tolist()]
    assert rows[:, COLUMN["in_out"]].tolist() == exact_in_out
    assert rows[:, COLUMN["in_in"]].tolist() == exact_in_in
    assert ranked.features[:50, COLUMN["in_out"]].tolist() != exact_in_out  # estimates


def test_engine_reasons_state_exact_follower_counts_when_sampled(arrays, monkeypatch):
    nb = _most_followed(arrays)
    monkeypatch.setattr(features, "FOLLOWER_SAMPLE", len(nb.followers) // 4)
    found = suggest(arrays, nb, np.zeros(0, dtype=np.int64), 30, Ranker())
    followers = set(nb.followers.tolist())
    stated = 0
    for account, reasons in zip(found.ids.tolist(), found.reasons, strict=True):
        for reason in reasons:
            if reason.kind == "followed_by_followers":
                count = len(followers & _followers_of(arrays, account))
                assert reason.text.startswith(f"followed by {count} of your followers")
                stated += 1
    assert stated > 0
