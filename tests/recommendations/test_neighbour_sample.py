"""A teacher with many followers or followees is read through a sample of them for the
signals over all accounts: much the same suggestions, and the words still state exact
numbers."""

from __future__ import annotations

import numpy as np
import pytest

from staffroom.recommendations.engine import features
from staffroom.recommendations.engine.api import rank, suggest
from staffroom.recommendations.engine.features import (
    COLUMN,
    Neighbourhood,
    neighbour_sample,
    neighbourhood_of,
    precompute,
    signals,
    with_exact_follower_counts,
)
from staffroom.recommendations.engine.ranker import Ranker
from staffroom.recommendations.engine.synthetic import synthetic_network

NONE = np.zeros(0, dtype=np.int64)


@pytest.fixture(scope="module")
def arrays():
    return precompute(synthetic_network(3_000, 60_000, seed=3))


def _most_followed(arrays) -> Neighbourhood:
    return neighbourhood_of(arrays, int(np.argmax(arrays.indeg)))


def _most_following(arrays) -> Neighbourhood:
    return neighbourhood_of(arrays, int(np.argmax(arrays.outdeg)))


def _followers_of(arrays, account: int) -> set[int]:
    inc = arrays.inc
    return set(inc.indices[inc.indptr[account] : inc.indptr[account + 1]].tolist())


def _followees_of(arrays, account: int) -> set[int]:
    out = arrays.out
    return set(out.indices[out.indptr[account] : out.indptr[account + 1]].tolist())


def test_a_small_set_is_used_whole():
    accounts = np.array([9, 3, 5], dtype=np.int64)
    sample, scale = neighbour_sample(accounts)
    assert sample is accounts
    assert scale == 1.0


def test_a_large_set_gives_the_same_evenly_spaced_sample_every_time(monkeypatch):
    monkeypatch.setattr(features, "NEIGHBOUR_SAMPLE", 10)
    accounts = np.random.default_rng(1).permutation(np.arange(0, 400, 4)).astype(np.int64)
    sample, scale = neighbour_sample(accounts)
    again, _ = neighbour_sample(accounts[::-1].copy())
    assert len(sample) == 10
    assert scale == 10.0
    assert np.array_equal(sample, again)
    assert sample[0] == 0
    assert sample[-1] == 396  # spans the whole range
    assert np.all(np.diff(sample) > 0)


@pytest.mark.parametrize(
    ("who", "names", "flag"),
    [
        (_most_followed, ("in_out", "in_in"), "followers_sampled"),
        (_most_following, ("co_follow",), "followees_sampled"),
    ],
)
def test_sampled_signals_estimate_the_exact_counts(arrays, monkeypatch, who, names, flag):
    nb = who(arrays)
    exact = signals(arrays, nb)
    size = len(nb.followers) if flag == "followers_sampled" else len(nb.followees)
    monkeypatch.setattr(features, "NEIGHBOUR_SAMPLE", size // 4)
    sampled = signals(arrays, nb)
    assert getattr(sampled, flag)
    assert not getattr(exact, flag)
    for name in names:
        truth, estimate = exact.values[name], sampled.values[name]
        assert not np.array_equal(truth, estimate)  # really an estimate
        # Totals agree within a few percent, and the accounts on top mostly stay there.
        assert estimate.sum() == pytest.approx(truth.sum(), rel=0.1)
        top_truth = set(np.argsort(-truth)[:20].tolist())
        top_estimate = set(np.argsort(-estimate)[:20].tolist())
        assert len(top_truth & top_estimate) >= 10


@pytest.mark.parametrize("who", [_most_followed, _most_following])
def test_a_sampled_neighbourhood_is_suggested_much_the_same_accounts(arrays, monkeypatch, who):
    nb = who(arrays)
    exact = suggest(arrays, nb, NONE, 20, Ranker(), explain_reasons=False)
    monkeypatch.setattr(
        features, "NEIGHBOUR_SAMPLE", max(len(nb.followers), len(nb.followees)) // 2
    )
    sampled = suggest(arrays, nb, NONE, 20, Ranker(), explain_reasons=False)
    assert len(set(exact.ids.tolist()) & set(sampled.ids.tolist())) >= 15


def test_counts_shown_in_words_are_exact_even_when_ranking_used_a_sample(arrays, monkeypatch):
    nb = _most_followed(arrays)
    monkeypatch.setattr(features, "NEIGHBOUR_SAMPLE", len(nb.followers) // 4)
    ranked = rank(arrays, nb, NONE, Ranker())
    shown = ranked.pool[:50]
    rows = with_exact_follower_counts(arrays, nb, shown, ranked.features[:50])
    followers = set(nb.followers.tolist())
    exact_in_out = [len(followers & _followers_of(arrays, c)) for c in shown.tolist()]
    assert rows[:, COLUMN["in_out"]].tolist() == exact_in_out
    assert ranked.features[:50, COLUMN["in_out"]].tolist() != exact_in_out  # estimates


def test_engine_reasons_state_exact_follower_counts_when_sampled(arrays, monkeypatch):
    nb = _most_followed(arrays)
    monkeypatch.setattr(features, "NEIGHBOUR_SAMPLE", len(nb.followers) // 4)
    found = suggest(arrays, nb, NONE, 30, Ranker())
    followers = set(nb.followers.tolist())
    stated = 0
    for account, reasons in zip(found.ids.tolist(), found.reasons, strict=True):
        for reason in reasons:
            if reason.kind == "followed_by_followers":
                count = len(followers & _followers_of(arrays, account))
                assert reason.text.startswith(f"followed by {count} of your followers")
                stated += 1
    assert stated > 0
