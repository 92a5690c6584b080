"""The one suggestion API, shared by the offline commands and the product.

Inputs: the precomputed graph-wide arrays, one teacher's neighbourhood, the exclusion set
(blocked, muted, dismissed, not discoverable, paused, requested: the caller's data) and a
ranker. Output: ranked ids with scores and structured reasons. Self and accounts already
followed are always excluded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from staffroom.recommendations.engine.candidates import BoolArray, candidate_pool, popular
from staffroom.recommendations.engine.features import (
    GraphArrays,
    Neighbourhood,
    feature_matrix,
    signals,
    with_exact_follower_counts,
)
from staffroom.recommendations.engine.graph import FloatArray, IntArray
from staffroom.recommendations.engine.ranker import Ranker, contributions
from staffroom.recommendations.engine.reasons import Reason, explain


@dataclass(frozen=True)
class Suggestions:
    ids: IntArray
    scores: FloatArray
    reasons: tuple[tuple[Reason, ...], ...]


def excluded_mask(arrays: GraphArrays, nb: Neighbourhood, exclude: IntArray) -> BoolArray:
    """True for the user, the accounts the user follows, and the caller's exclusions."""
    mask = np.zeros(arrays.n, dtype=np.bool_)
    if nb.user >= 0:  # -1: a teacher (or a list) not in the graph snapshot yet
        mask[nb.user] = True
    mask[nb.followees] = True
    mask[exclude] = True
    return mask


def candidates_with_features(
    arrays: GraphArrays, nb: Neighbourhood, mask: BoolArray, extra: IntArray | None = None
) -> tuple[IntArray, FloatArray]:
    """The candidate pool and its feature matrix (the fitting script uses this too).
    `extra`: accounts the caller's own sources propose, added unless excluded."""
    sig = signals(arrays, nb)
    pool = candidate_pool(arrays, sig, mask)
    if extra is not None and len(extra):
        pool = np.union1d(pool, extra[~mask[extra]]).astype(np.int64)
    return pool, feature_matrix(arrays, nb, sig, pool)


@dataclass(frozen=True)
class Ranked:
    """Every candidate of one query with its features and engine score (pool order)."""

    pool: IntArray
    features: FloatArray
    scores: FloatArray


def rank(
    arrays: GraphArrays,
    nb: Neighbourhood,
    exclude: IntArray,
    ranker: Ranker,
    extra: IntArray | None = None,
) -> Ranked:
    """Score the whole candidate pool, for callers that re-rank it (the product's purposes);
    `extra` adds candidates from the caller's own sources (never an excluded account)."""
    mask = excluded_mask(arrays, nb, exclude)
    pool, x = candidates_with_features(arrays, nb, mask, extra)
    return Ranked(pool=pool, features=x, scores=ranker.score(x, nb.cold))


def explain_rows(x: FloatArray, rows: IntArray) -> tuple[tuple[Reason, ...], ...]:
    """The engine's reasons for the given rows of a pool's feature matrix."""
    return _reasons(x, rows, len(rows))


def suggest(
    arrays: GraphArrays,
    nb: Neighbourhood,
    exclude: IntArray,
    k: int,
    ranker: Ranker,
    explain_reasons: bool = True,
) -> Suggestions:
    """Up to k suggestions, best first; exactly k when that many accounts are not excluded.

    Ranked candidates come first (ties: more followers first, then lower id), then the most
    followed remaining accounts back-fill. Raises ValueError if k < 1.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    mask = excluded_mask(arrays, nb, exclude)
    pool, x = candidates_with_features(arrays, nb, mask)
    scores = ranker.score(x, nb.cold)
    order = np.lexsort((pool, -arrays.indeg[pool], -scores))[:k]
    ids, top_scores = pool[order], scores[order]
    if len(ids) < k:
        mask[ids] = True
        extra = popular(arrays, mask, k - len(ids))
        ids = np.concatenate([ids, extra])
        top_scores = np.concatenate([top_scores, np.full(len(extra), -np.inf)])
    reasons: tuple[tuple[Reason, ...], ...] = ()
    if explain_reasons:
        shown = with_exact_follower_counts(arrays, nb, pool[order], x[order])
        reasons = _reasons(shown, np.arange(len(order)), len(ids))
    return Suggestions(ids=ids.astype(np.int64), scores=top_scores, reasons=reasons)


def _reasons(x: FloatArray, order: IntArray, total: int) -> tuple[tuple[Reason, ...], ...]:
    rows = x[order]
    parts = contributions(rows)
    out = [
        explain(rows[i], {name: float(col[i]) for name, col in parts.items()})
        for i in range(len(order))
    ]
    out += [explain(np.zeros(x.shape[1]), {})] * (total - len(order))
    return tuple(out)
