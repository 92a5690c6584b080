"""Candidate generation: the union of the best accounts of several sources.

Each source is a dense signal vector (see features.signals); a source contributes its
`SOURCES[name]` highest positive accounts that are not excluded. Popularity back-fills.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from staffroom.recommendations.engine.features import GraphArrays, Signals, top_indices
from staffroom.recommendations.engine.graph import IntArray

BoolArray = npt.NDArray[np.bool_]

SOURCES: dict[str, int] = {
    "aa": 100,  # friends of friends, Adamic-Adar weighted
    "follows_you": 100,
    "cf": 100,  # followees of people who follow what you follow
    "walk": 50,  # short random walks
    "in_out": 50,  # followed by your followers
    "co_follow": 30,  # people who follow what you follow
    "list_co": 50,  # purpose-list co-membership
    "list_own": 50,
    "prof_self": 100,  # profile similarity
    "prof_cf": 100,  # followees of similar profiles
}
POPULAR = 30


def popular(arrays: GraphArrays, excluded: BoolArray, count: int) -> IntArray:
    """The `count` most followed accounts that are not excluded (ties by id)."""
    # Only the first `count` + (number excluded) of the order can hold the answer: looking
    # at those alone saves two passes over every account.
    head = arrays.popularity_order[: count + int(np.count_nonzero(excluded))]
    return head[~excluded[head]][:count]


def candidate_pool(arrays: GraphArrays, sig: Signals, excluded: BoolArray) -> IntArray:
    """Sorted unique candidate ids from every source plus a popularity back-fill."""
    parts = [popular(arrays, excluded, POPULAR)]
    ex = np.flatnonzero(excluded)
    for name, count in SOURCES.items():
        vec = sig.values[name]
        if name == "follows_you":  # the most followed of your followers first
            vec = vec * (1.0 + arrays.indeg / (1.0 + float(arrays.indeg.max(initial=0.0))))
        saved = vec[ex]
        vec[ex] = 0.0  # zero the excluded in place (cheaper than a copy), restored below
        parts.append(top_indices(vec, count))
        vec[ex] = saved
    return np.unique(np.concatenate(parts)).astype(np.int64)
