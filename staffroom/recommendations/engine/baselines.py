"""Reference methods measured next to the engine in `recs evaluate` (see ../shared/data/README.md).

Every method follows one convention: accounts with a positive score first (ties: more
followers first, then lower id), then back-fill by popularity; never the user or an account
the user follows.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.sparse as sp

from staffroom.recommendations.engine.candidates import BoolArray, popular
from staffroom.recommendations.engine.features import GraphArrays, gather, row_of
from staffroom.recommendations.engine.graph import FloatArray, IntArray

RRF_K = 60
PPR_ALPHA = 0.15
PPR_ITERATIONS = 20

Method = Callable[[int, BoolArray], IntArray]


def rank_top(arrays: GraphArrays, scores: FloatArray, excluded: BoolArray, k: int) -> IntArray:
    """The top k by the shared convention (positive scores, ties by popularity, back-fill)."""
    cand = np.flatnonzero((scores > 0) & ~excluded)
    if len(cand) > 4 * k:
        cut = np.partition(scores[cand], len(cand) - k)[len(cand) - k]
        cand = cand[scores[cand] >= cut]
    top = cand[np.lexsort((cand, -arrays.indeg[cand], -scores[cand]))][:k]
    if len(top) < k:
        mask = excluded.copy()
        mask[top] = True
        top = np.concatenate([top, popular(arrays, mask, k - len(top))])
    return top.astype(np.int64)


class Baselines:
    """The baseline methods over one training graph; each returns k ids."""

    def __init__(self, arrays: GraphArrays, k: int) -> None:
        self.arrays = arrays
        self.k = k
        outdeg = arrays.outdeg
        inv = np.where(outdeg > 0, 1.0 / np.maximum(outdeg, 1.0), 0.0)
        self._walk_t = sp.csr_matrix((sp.diags(inv) @ arrays.out).T)
        self._dangling = outdeg == 0

    def methods(self) -> dict[str, Method]:
        return {
            "popularity": self.popularity,
            "friends_of_friends": self.friends_of_friends,
            "adamic_adar": self.adamic_adar,
            "personalized_pagerank": self.personalized_pagerank,
            "profile_tfidf": self.profile_tfidf,
            "rank_fusion": self.rank_fusion,
        }

    def _top(self, scores: FloatArray, excluded: BoolArray) -> IntArray:
        return rank_top(self.arrays, scores, excluded, self.k)

    def popularity(self, user: int, excluded: BoolArray) -> IntArray:
        return popular(self.arrays, excluded, self.k)

    def friends_of_friends(self, user: int, excluded: BoolArray) -> IntArray:
        a = self.arrays
        return self._top(gather(a.out, row_of(a.out, user), None, a.n), excluded)

    def _aa(self, user: int) -> FloatArray:
        a = self.arrays
        followees = row_of(a.out, user)
        return gather(a.out, followees, a.aa_weight[followees], a.n)

    def adamic_adar(self, user: int, excluded: BoolArray) -> IntArray:
        return self._top(self._aa(user), excluded)

    def personalized_pagerank(self, user: int, excluded: BoolArray) -> IntArray:
        """Power iteration; restarts with PPR_ALPHA and from dead ends go back to the user."""
        p = np.zeros(self.arrays.n)
        p[user] = 1.0
        for _ in range(PPR_ITERATIONS):
            lost = float(p[self._dangling].sum())
            p = (1.0 - PPR_ALPHA) * (self._walk_t @ p)
            p[user] += PPR_ALPHA + (1.0 - PPR_ALPHA) * lost
        return self._top(p, excluded)

    def profile_tfidf(self, user: int, excluded: BoolArray) -> IntArray:
        a = self.arrays
        return self._top(np.asarray(a.tfidf @ a.tfidf[user].T.toarray()).ravel(), excluded)

    def _centroid(self, user: int) -> FloatArray:
        a = self.arrays
        followees = row_of(a.out, user)
        if len(followees) == 0:
            return np.zeros(a.n)
        centroid = np.asarray(a.tfidf[followees].sum(axis=0)).ravel()
        return np.asarray(a.tfidf @ centroid, dtype=np.float64).ravel()

    def rank_fusion(self, user: int, excluded: BoolArray) -> IntArray:
        """Reciprocal-rank fusion of the top-k lists of AA, profile centroid and follows-you."""
        a = self.arrays
        lists = [self._top(self._aa(user), excluded), self._top(self._centroid(user), excluded)]
        if a.directed:
            followers = np.zeros(a.n)
            followers[row_of(a.inc, user)] = 1.0
            lists.append(self._top(followers, excluded))
        fused = np.zeros(a.n)
        for ranked in lists:
            fused[ranked] += 1.0 / (RRF_K + np.arange(1, len(ranked) + 1))
        return self._top(fused, excluded)
