"""A seeded synthetic educator network, for latency checks at scale (never for accuracy).

Teachers fall into communities (a subject and grade band); each follows mostly inside its
community, partly anyone (chosen by a heavy-tailed popularity), and follows back sometimes.
Profiles hold the community's subject and grade tokens plus a few free tags.
"""

from __future__ import annotations

import numpy as np

from staffroom.recommendations.engine.graph import Dataset, ListRow, binary_csr

COMMUNITY_SIZE = 500
LOCAL_SHARE = 0.7
FOLLOW_BACK = 0.2


def synthetic_network(users: int, follows: int, seed: int = 0) -> Dataset:
    """About `follows` distinct follows among `users` teachers; deterministic for a seed."""
    rng = np.random.default_rng(seed)
    communities = max(1, users // COMMUNITY_SIZE)
    community = rng.integers(0, communities, size=users)
    by_community = np.argsort(community, kind="stable")
    starts = np.searchsorted(community[by_community], np.arange(communities + 1))
    popularity = rng.pareto(1.2, size=users) + 1.0
    cumulative = np.cumsum(popularity / popularity.sum())
    mean_out = 1.08 * follows / users / (1.0 + FOLLOW_BACK)  # 1.08: duplicates collapse
    degree = np.maximum(1, rng.lognormal(np.log(mean_out) - 0.5, 1.0, size=users)).astype(np.int64)
    src = np.repeat(np.arange(users, dtype=np.int64), degree)
    local = rng.random(len(src)) < LOCAL_SHARE
    dst = np.searchsorted(cumulative, rng.random(len(src))).clip(0, users - 1)
    c = community[src[local]]
    size = np.maximum(starts[c + 1] - starts[c], 1)
    offset = (rng.random(len(c)) * size).astype(np.int64)
    dst[local] = by_community[np.minimum(starts[c] + offset, len(by_community) - 1)]
    back = rng.random(len(src)) < FOLLOW_BACK
    rows = np.concatenate([src, dst[back]])
    cols = np.concatenate([dst, src[back]])
    keep = rows != cols
    graph = binary_csr(rows[keep], cols[keep], (users, users))
    tags = rng.integers(0, 2000, size=(users, 3))
    token_rows = np.repeat(np.arange(users, dtype=np.int64), 5)
    token_cols = (
        np.column_stack([community % 40 + 2000, community // 40 + 2100, tags])
        .ravel()
        .astype(np.int64)
    )
    profiles = binary_csr(token_rows, token_cols, (users, 2200 + communities))
    lists = tuple(
        ListRow(int(owner), str(i), np.unique(rng.choice(users, size=20)).astype(np.int64))
        for i, owner in enumerate(rng.choice(users, size=users // 100, replace=False))
    )
    return Dataset("synthetic", True, graph, profiles, lists)
