"""Graph-wide precomputed arrays, a query's neighbourhood, and per-candidate features.

`GraphArrays` is what a periodic job precomputes (degrees, follow-back rates, the TF-IDF
profile matrix, the list membership matrix). `Neighbourhood` is what a selector reads for one
teacher (followees, followers, profile tokens, lists). `signals` turns both into dense
per-account signal vectors; `feature_matrix` gathers them for a candidate pool in the column
order of `FEATURES`, which the ranker (hand-weighted or learned) reads by name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from staffroom.recommendations.engine.graph import Dataset, FloatArray, IntArray, binary_csr

FEATURES: tuple[str, ...] = (
    "aa",  # Adamic-Adar over the people you follow
    "cn",  # how many people you follow follow the candidate
    "cn_frac",  # ... as a fraction of the people you follow
    "ra",  # resource allocation (1/outdeg of each shared followee)
    "follows_you",
    "co_follow",  # how many of your followees the candidate also follows
    "co_follow_cos",  # ... normalised like a cosine
    "in_out",  # how many of your followers follow the candidate
    "in_in",  # how many of your followers the candidate follows
    "cf",  # followees of people who follow what you follow (user-based CF)
    "walk",  # three-step random walk along follows
    "list_co",  # list co-membership with people you follow
    "list_own",  # in a list you made or a list you are in
    "prof_self",  # profile cosine to your profile
    "prof_centroid",  # profile cosine to the centroid of your followees
    "prof_cf",  # followed by people whose profiles resemble yours
    "shared_tokens",  # profile tokens in common with you
    "cand_log_in",
    "cand_log_out",
    "cand_followback",  # how often the candidate follows back
    "user_log_out",
    "user_log_in",
    "user_followback",  # how often you follow back
)
COLUMN = {name: i for i, name in enumerate(FEATURES)}

SIMILAR_USERS = 50  # neighbours used by the collaborative sources
WALK_FRONTIER = 200  # second-step accounts expanded by the walk
# Followers gathered for the follower signals over all accounts (in_out, in_in), and
# followees for co_follow; a teacher with more is read through an evenly spaced sample of
# this many, its counts scaled up (see `neighbour_sample`).
NEIGHBOUR_SAMPLE = 1_000


@dataclass(frozen=True)
class GraphArrays:
    """Graph-wide arrays, precomputed once per graph snapshot."""

    n: int
    directed: bool
    out: sp.csr_matrix
    inc: sp.csr_matrix
    outdeg: FloatArray
    indeg: FloatArray
    aa_weight: FloatArray
    ra_weight: FloatArray
    followback: FloatArray
    idf: FloatArray
    tfidf: sp.csr_matrix
    postings: sp.csr_matrix
    lists: sp.csr_matrix
    member_of: sp.csr_matrix
    list_owner: IntArray
    popularity_order: IntArray


@dataclass(frozen=True)
class Neighbourhood:
    """One teacher's neighbourhood, as sparse arrays. `user` is -1 for a teacher who is not
    in the graph (a new account, or a list's members taken as a pseudo-teacher)."""

    user: int
    followees: IntArray
    followers: IntArray
    profile_tokens: IntArray
    lists_owned: IntArray
    lists_member: IntArray

    @property
    def cold(self) -> bool:
        return len(self.followees) == 0


def smoothed_idf(profiles: sp.csr_matrix) -> FloatArray:
    """ln((1 + n) / (1 + df)) + 1 for every token."""
    n = profiles.shape[0]
    df = np.bincount(profiles.indices, minlength=profiles.shape[1]).astype(np.float64)
    return np.asarray(np.log((1.0 + n) / (1.0 + df)) + 1.0, dtype=np.float64)


def tfidf_matrix(profiles: sp.csr_matrix, idf: FloatArray) -> sp.csr_matrix:
    """Binary tf times idf, L2-normalised rows."""
    binary = profiles.copy().tocsr()
    binary.data[:] = 1.0
    weighted = binary.multiply(idf[np.newaxis, :]).tocsr()
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ weighted)


def precompute(data: Dataset) -> GraphArrays:
    """Build the graph-wide arrays for a dataset (the periodic job's work)."""
    out = data.follows
    inc = sp.csr_matrix(out.T)
    inc.sort_indices()
    outdeg = np.diff(out.indptr).astype(np.float64)
    indeg = np.diff(inc.indptr).astype(np.float64)
    mutual = np.asarray(out.multiply(inc).sum(axis=1)).ravel()
    safe_out = np.maximum(outdeg, 1.0)
    idf = smoothed_idf(data.profiles)
    tfidf = tfidf_matrix(data.profiles, idf)
    empty = np.zeros(0, dtype=np.int64)
    rows = [np.full(len(x.members), i, dtype=np.int64) for i, x in enumerate(data.lists)]
    cols = [x.members for x in data.lists]
    lists = binary_csr(
        np.concatenate([empty, *rows]), np.concatenate([empty, *cols]), (len(data.lists), data.n)
    )
    return GraphArrays(
        n=data.n,
        directed=data.directed,
        out=out,
        inc=inc,
        outdeg=outdeg,
        indeg=indeg,
        aa_weight=np.where(outdeg > 0, 1.0 / np.log1p(safe_out), 0.0),
        ra_weight=np.where(outdeg > 0, 1.0 / safe_out, 0.0),
        followback=mutual / np.maximum(indeg, 1.0),
        idf=idf,
        tfidf=tfidf,
        postings=sp.csr_matrix(tfidf.T),
        lists=lists,
        member_of=sp.csr_matrix(lists.T),
        list_owner=np.array([x.owner for x in data.lists], dtype=np.int64),
        popularity_order=np.lexsort((np.arange(data.n), -indeg)).astype(np.int64),
    )


def row_of(mat: sp.csr_matrix, i: int) -> IntArray:
    """The column indices stored in row i of a csr matrix."""
    return np.asarray(mat.indices[mat.indptr[i] : mat.indptr[i + 1]], dtype=np.int64)


def neighbourhood_of(arrays: GraphArrays, user: int) -> Neighbourhood:
    """The neighbourhood of a node of the graph the arrays were built from."""
    return Neighbourhood(
        user=user,
        followees=row_of(arrays.out, user),
        followers=row_of(arrays.inc, user),
        profile_tokens=row_of(arrays.tfidf, user),
        lists_owned=np.flatnonzero(arrays.list_owner == user).astype(np.int64),
        lists_member=row_of(arrays.member_of, user),
    )


def gather(
    mat: sp.csr_matrix, rows: IntArray, weights: FloatArray | None, n: int, binary: bool = False
) -> FloatArray:
    """sum_r weights[r] * mat[rows[r]] as a dense vector, touching only the given rows.

    With `binary`, stored values count as 1. The same sums whichever path is taken: a
    matrix of ones (the follow graph) skips multiplying by its values, and unweighted
    binary gathers count (exact, and faster than summing float ones).
    """
    return gather_sums(mat, rows, [(weights, binary)], n)[0]


def gather_sums(
    mat: sp.csr_matrix,
    rows: IntArray,
    sums: Sequence[tuple[FloatArray | None, bool]],
    n: int,
) -> list[FloatArray]:
    """Several `gather`s over the same rows of one matrix, each given as (weights, binary):
    the rows' entries are found once (the larger part of a gather's cost), then summed
    once per request."""
    if len(rows) == 0:
        return [np.zeros(n) for _ in sums]
    offsets, lens = _offsets(mat, rows)
    if len(offsets) == 0:
        return [np.zeros(n) for _ in sums]
    columns = mat.indices[offsets]
    unit = _has_unit_data(mat)
    values = np.ones(0) if unit else mat.data[offsets]  # read only when not all ones
    out: list[FloatArray] = []
    for weights, binary in sums:
        ones = binary or unit
        if weights is None and ones:
            out.append(np.bincount(columns, minlength=n).astype(np.float64))
            continue
        w = np.repeat(np.ones(len(rows)) if weights is None else weights, lens)
        if not ones:
            w = w * values
        out.append(np.asarray(np.bincount(columns, weights=w, minlength=n), dtype=np.float64))
    return out


def _has_unit_data(mat: sp.csr_matrix) -> bool:
    """Whether every stored value is 1 (checked once per matrix; matrices built by
    `precompute` are never changed afterwards)."""
    known = mat.__dict__.get("_unit_data")
    if known is None:
        known = bool(mat.nnz == 0 or (mat.data.min() == 1.0 and mat.data.max() == 1.0))
        mat.__dict__["_unit_data"] = known
    return bool(known)


def _offsets(mat: sp.csr_matrix, rows: IntArray) -> tuple[IntArray, IntArray]:
    """Positions in mat.data of the given rows' entries, and each row's entry count."""
    starts = mat.indptr[rows]
    lens = (mat.indptr[rows + 1] - starts).astype(np.int64)
    total = int(lens.sum())
    offsets = np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(total)
    return offsets.astype(np.int64), lens


def row_dots(mat: sp.csr_matrix, rows: IntArray, dense: FloatArray) -> FloatArray:
    """mat[rows] @ dense, touching only the given rows."""
    if len(rows) == 0:
        return np.zeros(0)
    offsets, lens = _offsets(mat, rows)
    products = mat.data[offsets] * dense[mat.indices[offsets]]
    owner = np.repeat(np.arange(len(rows)), lens)
    return np.asarray(np.bincount(owner, weights=products, minlength=len(rows)), np.float64)


def top_indices(scores: FloatArray, count: int) -> IntArray:
    """Indices of the `count` largest positive scores (unordered); among equal scores at
    the cut, the lowest indices.

    Ties are common (signals are often small counts), and `argpartition` breaks them by
    whatever its selection algorithm (SIMD on some CPUs) happens to do: the same query
    could get a different pool on another machine, or after an unrelated account changed.
    """
    positive = np.flatnonzero(scores > 0)
    if len(positive) <= count:
        return positive.astype(np.int64)
    values = scores[positive]
    cut = np.partition(values, len(values) - count)[len(values) - count]  # count-th largest
    above = positive[values > cut]
    tied = positive[values == cut]  # ascending: `positive` is
    return np.concatenate([above, tied[: count - len(above)]]).astype(np.int64)


@dataclass(frozen=True)
class Signals:
    """Dense per-account signal vectors for one query (length n each).

    With `followers_sampled`, `in_out` and `in_in` are estimates from a sample of the
    followers, and with `followees_sampled` `co_follow` and `co_follow_cos` from a sample of
    the followees (see `neighbour_sample`), for picking and ranking candidates alike
    (counting them again for the whole pool cost as much as the sample saved). Words that
    state a count take it from `with_exact_follower_counts`."""

    values: dict[str, FloatArray]
    user_stats: dict[str, float]
    followers_sampled: bool = False
    followees_sampled: bool = False


def neighbour_sample(accounts: IntArray) -> tuple[IntArray, float]:
    """At most NEIGHBOUR_SAMPLE of `accounts` (followers or followees), evenly spaced over
    them in index order (the same sample on every request, so suggestions do not flicker),
    and the factor that turns counts over the sample into estimates over all of them.

    Why: a teacher with 10,000 followers made the two follower gathers touch about half a
    million follow rows, a third of the slowest requests' time; the sample touches 50,000.
    """
    if len(accounts) <= NEIGHBOUR_SAMPLE:
        return accounts, 1.0
    ordered = np.sort(accounts)
    picks = np.linspace(0, len(ordered) - 1, NEIGHBOUR_SAMPLE).round().astype(np.int64)
    return ordered[picks], len(ordered) / NEIGHBOUR_SAMPLE


def indicator(n: int, accounts: IntArray) -> FloatArray:
    """1.0 at the given accounts, 0.0 elsewhere."""
    found = np.zeros(n)
    found[accounts] = 1.0
    return found


def exact_follower_counts(
    arrays: GraphArrays, follower_indicator: FloatArray, accounts: IntArray
) -> FloatArray:
    """`in_out` counted exactly for the given accounts only: how many of the teacher's
    followers (a 0/1 vector over all accounts) follow each. Costs the accounts' own follower
    lists, so keep it to the few that are shown."""
    return row_dots(arrays.inc, accounts, follower_indicator)


def with_exact_follower_counts(
    arrays: GraphArrays, nb: Neighbourhood, accounts: IntArray, rows: FloatArray
) -> FloatArray:
    """Feature rows of the given accounts with `in_out` exact (a copy), for words such as
    "Followed by 12 of your followers"; the rows themselves when the followers were not
    sampled."""
    if len(nb.followers) <= NEIGHBOUR_SAMPLE:
        return rows
    exact = rows.copy()
    followers = indicator(arrays.n, nb.followers)
    exact[:, COLUMN["in_out"]] = exact_follower_counts(arrays, followers, accounts)
    return exact


def _similar_followees(arrays: GraphArrays, sim: FloatArray, user: int) -> FloatArray:
    sim = sim.copy()
    if user >= 0:
        sim[user] = 0.0
    top = top_indices(sim, SIMILAR_USERS)
    return gather(arrays.out, top, sim[top], arrays.n)


def _walk(arrays: GraphArrays, followees: IntArray, ra: FloatArray) -> FloatArray:
    """Probability of reaching each account in exactly three steps along follows."""
    if len(followees) == 0:
        return np.zeros(arrays.n)
    step2 = ra / len(followees)
    frontier = top_indices(step2, WALK_FRONTIER)
    return gather(arrays.out, frontier, step2[frontier] * arrays.ra_weight[frontier], arrays.n)


def _list_signals(
    arrays: GraphArrays, nb: Neighbourhood, f_ind: FloatArray
) -> dict[str, FloatArray]:
    n = arrays.n
    if arrays.lists.shape[0] == 0:
        return {"list_co": np.zeros(n), "list_own": np.zeros(n)}
    sizes = np.maximum(np.diff(arrays.lists.indptr), 1).astype(np.float64)
    share = np.asarray(arrays.lists @ f_ind, dtype=np.float64) / sizes
    share[nb.lists_owned] = 0.0  # your own lists are counted by list_own
    hit = np.flatnonzero(share > 0).astype(np.int64)
    own = np.unique(np.concatenate([nb.lists_owned, nb.lists_member]))
    return {
        "list_co": gather(arrays.lists, hit, share[hit], n),
        "list_own": gather(arrays.lists, own, None, n),
    }


def signals(arrays: GraphArrays, nb: Neighbourhood) -> Signals:
    """Every graph and profile signal of one query, as dense vectors over all accounts."""
    n = arrays.n
    followees, followers = nb.followees, nb.followers
    f_ind = indicator(n, followees)
    v: dict[str, FloatArray] = {}
    v["aa"], v["cn"], v["ra"] = gather_sums(
        arrays.out,
        followees,
        [(arrays.aa_weight[followees], False), (None, False), (arrays.ra_weight[followees], False)],
        n,
    )
    v["follows_you"] = indicator(n, followers)
    followee_sample, followee_scale = neighbour_sample(followees)
    v["co_follow"] = _scaled(gather(arrays.inc, followee_sample, None, n), followee_scale)
    follower_sample, follower_scale = neighbour_sample(followers)
    v["in_out"] = _scaled(gather(arrays.out, follower_sample, None, n), follower_scale)
    v["in_in"] = _scaled(gather(arrays.inc, follower_sample, None, n), follower_scale)
    cos = _co_follow_cos(v["co_follow"], arrays.outdeg, len(followees))
    v["co_follow_cos"] = cos
    v["cf"] = _similar_followees(arrays, cos, nb.user)
    v["walk"] = _walk(arrays, followees, v["ra"])
    v.update(_list_signals(arrays, nb, f_ind))
    tokens = nb.profile_tokens
    weights = arrays.idf[tokens]
    weights = weights / max(float(np.sqrt((weights * weights).sum())), 1e-12)
    v["prof_self"], v["shared_tokens"] = gather_sums(
        arrays.postings, tokens, [(weights, False), (None, True)], n
    )
    v["prof_cf"] = _similar_followees(arrays, v["prof_self"], nb.user)
    indeg_u = float(len(followers))
    mutual = float(np.count_nonzero(f_ind[followers]))
    stats = {
        "user_log_out": float(np.log1p(len(followees))),
        "user_log_in": float(np.log1p(indeg_u)),
        "user_followback": mutual / max(indeg_u, 1.0),
    }
    return Signals(
        values=v,
        user_stats=stats,
        followers_sampled=follower_scale != 1.0,
        followees_sampled=followee_scale != 1.0,
    )


def _scaled(counts: FloatArray, scale: float) -> FloatArray:
    if scale != 1.0:  # a pass over every account saved when nothing was sampled
        counts *= scale
    return counts


def _co_follow_cos(co_follow: FloatArray, outdeg: FloatArray, followees: int) -> FloatArray:
    return np.asarray(co_follow / np.sqrt(np.maximum(outdeg, 1.0) * max(followees, 1)))


def centroid_similarity(arrays: GraphArrays, followees: IntArray, pool: IntArray) -> FloatArray:
    """Cosine between each pool account's profile and the centroid of the followees' profiles."""
    if len(followees) == 0 or len(pool) == 0:
        return np.zeros(len(pool))
    centroid = gather(arrays.tfidf, followees, None, arrays.tfidf.shape[1])
    norm = float(np.sqrt((centroid * centroid).sum()))  # not BLAS: its threads spin when busy
    if norm == 0:
        return np.zeros(len(pool))
    return row_dots(arrays.tfidf, pool, centroid) / norm


def feature_matrix(
    arrays: GraphArrays, nb: Neighbourhood, sig: Signals, pool: IntArray
) -> FloatArray:
    """The (len(pool), len(FEATURES)) feature matrix, columns in FEATURES order."""
    out = np.zeros((len(pool), len(FEATURES)))
    for name, vec in sig.values.items():
        if name in COLUMN:
            out[:, COLUMN[name]] = vec[pool]
    out[:, COLUMN["cn_frac"]] = sig.values["cn"][pool] / max(len(nb.followees), 1)
    out[:, COLUMN["prof_centroid"]] = centroid_similarity(arrays, nb.followees, pool)
    out[:, COLUMN["cand_log_in"]] = np.log1p(arrays.indeg[pool])
    out[:, COLUMN["cand_log_out"]] = np.log1p(arrays.outdeg[pool])
    out[:, COLUMN["cand_followback"]] = arrays.followback[pool]
    for name, value in sig.user_stats.items():
        out[:, COLUMN[name]] = value
    return out
