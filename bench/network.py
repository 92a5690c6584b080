"""The synthetic teacher network of the feeds benchmark, drawn with numpy (no Django).

- Follow counts (out-degree) follow a Pareto law with exponent 1 truncated to
  [follow_min, follow_max] (20 to 2,000), so a few teachers follow thousands.
- Whom they follow: a Zipf-like popularity (weight 1 / (rank + 10)^0.8) over a shuffled
  order, so a few teachers are followed widely.
- Teacher 0, the "star", is followed by everyone (the posting scenario).
- Posts: authors drawn by a log-normal activity, times spread over `history_days` days,
  ids are snowflakes (ms << 16 | sequence), so sorting ids sorts by time.
- Home feeds: each teacher's own posts and those of everyone they follow, newest first,
  capped at `feed_max` rows; list feeds the same over each list's members.
- Viewers: up to `viewers_per_band` teachers from each follow-count band, each with one list.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

FOLLOW_BANDS = ((20, 49), (50, 99), (100, 199), (200, 499), (500, 2000))
HEAVY_FOLLOWING = 500
HISTORY_DAYS = 30
SEQUENCE_BITS = 16


@dataclass(frozen=True)
class NetworkParams:
    users: int
    posts: int
    seed: int = 42
    follow_min: int = 20
    follow_max: int = 2000
    feed_max: int = 800
    viewers_per_band: int = 40
    list_members: int = 25
    now_ms: int = 1_790_000_000_000  # fixed, so one seed always draws the same ids

    def key(self) -> str:
        return (
            f"u{self.users}-p{self.posts}-s{self.seed}-f{self.follow_min}-{self.follow_max}"
            f"-m{self.feed_max}-v{self.viewers_per_band}-l{self.list_members}"
        )


@dataclass
class Network:
    params: NetworkParams
    # Followees of teacher u: followees[follow_ptr[u]:follow_ptr[u + 1]] (sorted, no self).
    follow_ptr: np.ndarray
    followees: np.ndarray
    # Posts in time order: post i was written by post_author[i] at post_ms[i], id post_id[i].
    post_author: np.ndarray
    post_ms: np.ndarray
    post_id: np.ndarray
    viewers: np.ndarray
    # One list per viewer: list_members[i] are the members of viewers[i]'s list.
    list_members: list[np.ndarray] = field(default_factory=list)
    # Posts of author a (indices into post_*, oldest first): by_author[ptr[a]:ptr[a + 1]].
    _author_ptr: np.ndarray | None = None
    _by_author: np.ndarray | None = None

    @property
    def users(self) -> int:
        return self.params.users

    def following(self, user: int) -> np.ndarray:
        return self.followees[self.follow_ptr[user] : self.follow_ptr[user + 1]]

    def follow_counts(self) -> np.ndarray:
        return np.diff(self.follow_ptr)

    def feed(self, authors: np.ndarray) -> np.ndarray:
        """Indices of the newest `feed_max` posts by `authors`, newest first."""
        if self._author_ptr is None or self._by_author is None:
            order = np.argsort(self.post_author, kind="stable")
            counts = np.bincount(self.post_author, minlength=self.users)
            self._author_ptr = np.concatenate(([0], np.cumsum(counts)))
            self._by_author = order
        ptr, by_author, cap = self._author_ptr, self._by_author, self.params.feed_max
        parts = [by_author[max(ptr[a], ptr[a + 1] - cap) : ptr[a + 1]] for a in authors.tolist()]
        if not parts:
            return np.empty(0, dtype=np.int64)
        candidates = np.concatenate(parts)
        if len(candidates) > cap:
            candidates = np.partition(candidates, len(candidates) - cap)[-cap:]
        return np.sort(candidates)[::-1]

    def home_feed(self, user: int) -> np.ndarray:
        return self.feed(np.append(self.following(user), user))

    def feeds(self) -> Iterator[tuple[int, int | None, np.ndarray]]:
        """(owner, list index or None, post indices) for every stored feed."""
        for user in range(self.users):
            yield user, None, self.home_feed(user)
        for index, members in enumerate(self.list_members):
            yield int(self.viewers[index]), index, self.feed(members)


def _follow_counts(rng: np.random.Generator, params: NetworkParams) -> np.ndarray:
    """Truncated Pareto (exponent 1) by inverse transform, capped by the network size."""
    low, high = params.follow_min, params.follow_max
    u = rng.random(params.users)
    counts = low / (1.0 - u * (1.0 - low / high))
    return np.minimum(counts.astype(np.int64), max(1, params.users - 1))


def _draw_followees(rng: np.random.Generator, params: NetworkParams) -> tuple[np.ndarray, ...]:
    n = params.users
    counts = _follow_counts(rng, params)
    rank = rng.permutation(n)
    weight = 1.0 / (rank + 10.0) ** 0.8
    log_weight = np.log(weight)
    ptr = [0]
    chunks = []
    for user in range(n):
        # Gumbel top-k: k distinct followees drawn in proportion to popularity.
        keys = log_weight + rng.gumbel(size=n)
        keys[user] = -np.inf
        chosen = np.argpartition(keys, n - counts[user])[n - counts[user] :]
        if user != 0 and 0 not in chosen:  # everyone follows the star
            chosen = np.append(chosen, 0)
        chosen = np.sort(chosen[chosen != user])
        chunks.append(chosen)
        ptr.append(ptr[-1] + len(chosen))
    return np.asarray(ptr, dtype=np.int64), np.concatenate(chunks).astype(np.int64)


def _draw_posts(rng: np.random.Generator, params: NetworkParams) -> tuple[np.ndarray, ...]:
    activity = rng.lognormal(0.0, 1.0, size=params.users)
    author = rng.choice(params.users, size=params.posts, p=activity / activity.sum())
    span = HISTORY_DAYS * 86_400_000
    start = params.now_ms - span - 3_600_000
    ms = np.sort(start + rng.integers(0, span, size=params.posts))
    seq = np.arange(params.posts, dtype=np.int64) & ((1 << SEQUENCE_BITS) - 1)
    ids = (ms.astype(np.int64) << SEQUENCE_BITS) | seq
    if len(np.unique(ids)) != len(ids):
        raise RuntimeError("post ids collided; use fewer posts or a longer history")
    return author.astype(np.int64), ms.astype(np.int64), ids


def _pick_viewers(
    rng: np.random.Generator, counts: np.ndarray, params: NetworkParams
) -> np.ndarray:
    picked = []
    for low, high in FOLLOW_BANDS:
        band = np.flatnonzero((counts >= low) & (counts <= high + 1))
        band = band[band != 0]
        take = min(len(band), params.viewers_per_band)
        picked.append(rng.choice(band, size=take, replace=False) if take else band)
    return np.sort(np.concatenate(picked)).astype(np.int64)


def generate(params: NetworkParams) -> Network:
    rng = np.random.default_rng(params.seed)
    ptr, followees = _draw_followees(rng, params)
    author, ms, ids = _draw_posts(rng, params)
    network = Network(params, ptr, followees, author, ms, ids, np.empty(0, dtype=np.int64))
    network.viewers = _pick_viewers(rng, network.follow_counts(), params)
    for viewer in network.viewers.tolist():
        follows = network.following(viewer)
        size = min(len(follows), params.list_members)
        network.list_members.append(np.sort(rng.choice(follows, size=size, replace=False)))
    return network


def band_of(following: int) -> str:
    for low, high in FOLLOW_BANDS:
        if following <= high + 1:
            return f"{low}-{high}" if following >= low else f"<{low}"
    return f">{FOLLOW_BANDS[-1][1]}"
