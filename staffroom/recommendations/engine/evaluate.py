"""The evaluation protocol of ../shared/data/README.md and its metrics.

`make_split` hides follows exactly as the README says (numpy default_rng(seed)); `evaluate`
ranks for every query user with the engine and the baselines on the one training graph and
reports recall@k, precision@k, nDCG@k, MRR, catalogue coverage, intra-list diversity (mean
pairwise profile cosine distance within a list) and per-query latency p50/p99 in ms.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from staffroom.recommendations.engine.api import excluded_mask, suggest
from staffroom.recommendations.engine.baselines import Baselines
from staffroom.recommendations.engine.candidates import BoolArray
from staffroom.recommendations.engine.features import GraphArrays, neighbourhood_of, precompute
from staffroom.recommendations.engine.graph import Dataset, IntArray, ListRow, binary_csr
from staffroom.recommendations.engine.ranker import Ranker

MIN_FOLLOWS = 5
HIDE_FRACTION = 0.2


@dataclass(frozen=True)
class Split:
    users: IntArray
    hidden: dict[int, IntArray]
    train: Dataset


def draw_users(
    data: Dataset, n_users: int, rng: np.random.Generator, ineligible: IntArray | None = None
) -> IntArray:
    """Users with at least MIN_FOLLOWS follows, drawn without replacement, ascending."""
    ok = np.diff(data.follows.indptr) >= MIN_FOLLOWS
    if ineligible is not None:
        ok[ineligible] = False
    eligible = np.flatnonzero(ok)
    size = min(n_users, len(eligible))
    return np.sort(rng.choice(eligible, size=size, replace=False)).astype(np.int64)


def make_split(
    data: Dataset, n_users: int, seed: int, cold: bool, exclude_users: IntArray | None = None
) -> Split:
    """Hide follows of drawn users (README protocol) and return the one training graph.

    `exclude_users` (for fitting only) removes users from the eligible set first.
    """
    rng = np.random.default_rng(seed)
    users = draw_users(data, n_users, rng, exclude_users)
    out, inc = data.follows, data.follows.T.tocsr()
    hidden: dict[int, IntArray] = {}
    rows: list[IntArray] = []
    cols: list[IntArray] = []
    for u in users.tolist():
        followees = out.indices[out.indptr[u] : out.indptr[u + 1]]
        count = len(followees) if cold else max(1, round(HIDE_FRACTION * len(followees)))
        h = np.sort(rng.choice(np.sort(followees), size=count, replace=False)).astype(np.int64)
        hidden[u] = h
        rows.append(np.full(count, u))
        cols.append(h)
        if not data.directed:  # both directions of a hidden friendship
            rows.append(h)
            cols.append(np.full(count, u))
        if cold:
            followers = inc.indices[inc.indptr[u] : inc.indptr[u + 1]]
            rows.append(followers)
            cols.append(np.full(len(followers), u))
    removed = binary_csr(np.concatenate(rows), np.concatenate(cols), out.shape)
    train = (out - out.multiply(removed)).tocsr()
    train.eliminate_zeros()
    train.sort_indices()
    lists = _split_lists(data.lists, hidden, set(hidden), cold)
    return Split(users, hidden, replace(data, follows=train, lists=lists))


def _split_lists(
    lists: tuple[ListRow, ...], hidden: dict[int, IntArray], queried: set[int], cold: bool
) -> tuple[ListRow, ...]:
    out: list[ListRow] = []
    query_ids = np.array(sorted(queried), dtype=np.int64)
    for row in lists:
        if cold and row.owner in queried:
            continue
        members = row.members
        if row.owner in hidden and not cold:
            members = np.setdiff1d(members, hidden[row.owner])
        if cold:
            members = np.setdiff1d(members, query_ids)
        if len(members):
            out.append(ListRow(row.owner, row.list_id, members.astype(np.int64)))
    return tuple(out)


def metrics_for(ranked: IntArray, truth: IntArray, k: int) -> dict[str, float]:
    """recall@k, precision@k, nDCG@k (binary gain) and reciprocal rank of the first hit."""
    hits = np.isin(ranked[:k], truth)
    gains = 1.0 / np.log2(np.arange(2, k + 2))
    ideal = float(gains[: min(k, len(truth))].sum())
    first = np.flatnonzero(hits)
    return {
        "recall": float(hits.sum()) / max(len(truth), 1),
        "precision": float(hits.sum()) / k,
        "ndcg": float(gains[: len(hits)][hits].sum()) / ideal if ideal else 0.0,
        "mrr": 1.0 / (int(first[0]) + 1) if len(first) else 0.0,
    }


def diversity(arrays: GraphArrays, ranked: IntArray) -> float:
    """Mean pairwise profile cosine distance within one list."""
    if len(ranked) < 2:
        return 0.0
    profiles = arrays.tfidf[ranked]
    sims = np.asarray((profiles @ profiles.T).toarray())
    m = len(ranked)
    return float(1.0 - (sims.sum() - np.trace(sims)) / (m * (m - 1)))


Recommend = Callable[[int, BoolArray], IntArray]


def score_method(arrays: GraphArrays, split: Split, fn: Recommend, k: int) -> dict[str, float]:
    """Run one method for every query user and average the metrics."""
    totals = {"recall": 0.0, "precision": 0.0, "ndcg": 0.0, "mrr": 0.0, "diversity": 0.0}
    seen: set[int] = set()
    latencies: list[float] = []
    for u in split.users.tolist():
        excluded = np.zeros(arrays.n, dtype=np.bool_)
        excluded[u] = True
        excluded[arrays.out.indices[arrays.out.indptr[u] : arrays.out.indptr[u + 1]]] = True
        start = time.perf_counter()
        ranked = fn(u, excluded)
        latencies.append(time.perf_counter() - start)
        for name, value in metrics_for(ranked, split.hidden[u], k).items():
            totals[name] += value
        totals["diversity"] += diversity(arrays, ranked[:k])
        seen.update(ranked[:k].tolist())
    count = max(len(split.users), 1)
    result = {name: round(value / count, 4) for name, value in totals.items()}
    result["coverage"] = round(len(seen) / arrays.n, 4)
    ms = np.array(latencies) * 1000.0
    result["p50_ms"] = round(float(np.percentile(ms, 50)), 2) if len(ms) else 0.0
    result["p99_ms"] = round(float(np.percentile(ms, 99)), 2) if len(ms) else 0.0
    return result


def engine_method(arrays: GraphArrays, ranker: Ranker, k: int) -> Recommend:
    """The production engine as an evaluation method (neighbourhood read from the graph)."""
    empty = np.zeros(0, dtype=np.int64)

    def run(user: int, excluded: BoolArray) -> IntArray:
        nb = neighbourhood_of(arrays, user)
        return suggest(arrays, nb, empty, k, ranker).ids

    return run


def evaluate(
    data: Dataset,
    n_users: int,
    seed: int,
    k: int,
    cold: bool,
    ranker: Ranker,
    baselines: bool = True,
) -> dict[str, object]:
    """The whole README protocol: split, precompute on the training graph, score every method."""
    split = make_split(data, n_users, seed, cold)
    start = time.perf_counter()
    arrays = precompute(split.train)
    precompute_s = time.perf_counter() - start
    methods: dict[str, Recommend] = {"engine": engine_method(arrays, ranker, k)}
    if baselines:
        methods.update(Baselines(arrays, k).methods())
    results = {name: score_method(arrays, split, fn, k) for name, fn in methods.items()}
    return {
        "dataset": data.name,
        "mode": "cold" if cold else "follow",
        "users": len(split.users),
        "seed": seed,
        "k": k,
        "ranker": "learned" if ranker.learned else "hand-weighted",
        "precompute_s": round(precompute_s, 2),
        "results": results,
    }


def latency(data: Dataset, ranker: Ranker, queries: int, seed: int, k: int) -> dict[str, object]:
    """Per-query latency (ms, one thread) of the engine and of Adamic-Adar on the same queries.

    Query users are drawn (seeded) among users with at least MIN_FOLLOWS follows; the
    graph-wide precompute is timed separately.
    """
    start = time.perf_counter()
    arrays = precompute(data)
    precompute_s = time.perf_counter() - start
    users = draw_users(data, queries, np.random.default_rng(seed))
    empty = np.zeros(0, dtype=np.int64)
    adamic_adar = Baselines(arrays, k).adamic_adar
    wall: dict[str, list[float]] = {"engine": [], "adamic_adar": []}
    cpu: dict[str, list[float]] = {"engine": [], "adamic_adar": []}
    for u in users.tolist():
        w0, c0 = time.perf_counter(), time.thread_time()
        nb = neighbourhood_of(arrays, u)
        suggest(arrays, nb, empty, k, ranker)
        w1, c1 = time.perf_counter(), time.thread_time()
        adamic_adar(u, excluded_mask(arrays, nb, empty))
        wall["engine"].append(w1 - w0)
        cpu["engine"].append(c1 - c0)
        wall["adamic_adar"].append(time.perf_counter() - w1)
        cpu["adamic_adar"].append(time.thread_time() - c1)
    stats = {}
    for name in wall:
        # wall clock, and this thread's CPU time (less noisy on a shared machine)
        ms, cpu_ms = np.array(wall[name]) * 1000.0, np.array(cpu[name]) * 1000.0
        stats[name] = {
            "p50_ms": round(float(np.percentile(ms, 50)), 2),
            "p99_ms": round(float(np.percentile(ms, 99)), 2),
            "cpu_p50_ms": round(float(np.percentile(cpu_ms, 50)), 2),
            "cpu_p99_ms": round(float(np.percentile(cpu_ms, 99)), 2),
        }
    return {
        "dataset": data.name,
        "users": data.n,
        "follows": int(data.follows.nnz),
        "queries": len(users),
        "ranker": "learned" if ranker.learned else "hand-weighted",
        "precompute_s": round(precompute_s, 2),
        "latency": stats,
    }
