"""The synthetic educator network of the suggestions benchmark, drawn with numpy (no Django).

The feeds network (`bench/network.py`) draws each teacher's followees over the whole
network (quadratic: fine for 10,000 teachers, hours for 100,000) and gives no one a subject
or a grade. Suggestions need both, so this network is drawn differently, in vectors:

- Each teacher has a subject (Zipf over the taxonomy's subjects, a sub-area 40% of the time,
  a second subject 20%), a grade band and one or two of its grades, up to three practices,
  up to two free tags, goals (one or two purposes), a way of learning, experience, a
  mentorship offer (5%) and an interaction style. Their community is (subject, band).
- Follow counts are log-normal (median 30, so about 50 on average), 3% of teachers follow
  no one yet; 60% of a teacher's follows stay in their community, the rest go to anyone by
  a heavy-tailed popularity, and 15% of follows are followed back.
- A few recent posts per teacher (log-normal activity), each with a modality.
- 2% of the teachers who follow ten or more keep a purpose list of up to 20 followees.

The result is a `bench.network.Network` (so `bench/rows.py` writes users, profiles,
follows, list members and counters as for the feeds) plus the profile columns and terms.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bench.network import SEQUENCE_BITS, Network, NetworkParams
from staffroom.core.pln import LearningStyle, Modality, Purpose

DAY_MS = 86_400_000
POST_DAYS = 30
TAGS = 400
LIST_MEMBERS = 20
# Grade bands and how many teachers teach in each.
BAND_WEIGHTS = {
    "early-years": 0.04,
    "k-2": 0.17,
    "3-5": 0.18,
    "6-8": 0.24,
    "9-12": 0.30,
    "higher": 0.05,
    "adult": 0.02,
}


@dataclass(frozen=True)
class SuggestionParams:
    teachers: int
    seed: int = 42
    follow_median: float = 30.0
    follow_sigma: float = 1.0
    follow_max: int = 2000
    no_follows: float = 0.03
    local_share: float = 0.6
    follow_back: float = 0.15
    posts_per_teacher: float = 2.0
    list_share: float = 0.02
    now_ms: int = 1_790_000_000_000

    def key(self) -> str:
        return (
            f"t{self.teachers}-s{self.seed}-f{self.follow_median}-{self.follow_sigma}"
            f"-{self.follow_max}-z{self.no_follows}-l{self.local_share}-b{self.follow_back}"
            f"-p{self.posts_per_teacher}-ls{self.list_share}"
        )


@dataclass
class Teachers:
    """Per-teacher profile columns (index u is teacher u) and terms as (teacher, kind,
    value) triples."""

    experience: np.ndarray
    mentorship: list[str]
    interaction: list[str]
    goals: list[list[str]]
    learning: list[list[str]]
    terms: list[tuple[int, str, str]]
    community: np.ndarray
    list_purposes: list[str]


@dataclass
class SuggestionNetwork:
    params: SuggestionParams
    network: Network  # its `viewers` are the owners of the purpose lists
    teachers: Teachers
    post_modality: np.ndarray  # index into MODALITIES, per post


MODALITIES: tuple[str, ...] = tuple(Modality.values)
PURPOSES: tuple[str, ...] = tuple(Purpose.values)
LEARNING: tuple[str, ...] = tuple(LearningStyle.values)


def _zipf(count: int, exponent: float = 1.0) -> np.ndarray:
    weights = 1.0 / np.arange(1, count + 1) ** exponent
    return np.asarray(weights / weights.sum(), dtype=np.float64)


def _top_subjects() -> tuple[list[str], dict[str, list[str]]]:
    from staffroom.profiles import taxonomy  # translates labels: needs Django set up

    tops = [term.slug for term in taxonomy.SUBJECTS if not term.parent]
    subareas: dict[str, list[str]] = {slug: [] for slug in tops}
    for term in taxonomy.SUBJECTS:
        if term.parent:
            subareas[term.parent].append(term.slug)
    return tops, subareas


def _teachers(rng: np.random.Generator, n: int) -> Teachers:
    from staffroom.profiles import taxonomy

    tops, subareas = _top_subjects()
    bands = list(BAND_WEIGHTS)
    band_p = np.array(list(BAND_WEIGHTS.values()))
    subject = rng.choice(len(tops), size=n, p=_zipf(len(tops), 0.8))
    band = rng.choice(len(bands), size=n, p=band_p / band_p.sum())
    practices = [term.slug for term in taxonomy.PRACTICES]
    practice_p = _zipf(len(practices), 0.7)
    terms: list[tuple[int, str, str]] = []
    for u in range(n):
        top = tops[subject[u]]
        terms.append((u, "subject", top))
        if subareas[top] and rng.random() < 0.4:
            terms.append((u, "subject", subareas[top][rng.integers(len(subareas[top]))]))
        if rng.random() < 0.2:
            other = tops[rng.integers(len(tops))]
            if other != top:
                terms.append((u, "subject", other))
        grades = taxonomy.BANDS[bands[band[u]]][1]
        chosen = rng.choice(
            len(grades), size=min(len(grades), 1 + int(rng.integers(2))), replace=False
        )
        terms.extend((u, "grade", grades[g]) for g in sorted(chosen.tolist()))
        picked = rng.choice(len(practices), size=rng.integers(4), replace=False, p=practice_p)
        terms.extend((u, "practice", practices[p]) for p in sorted(picked.tolist()))
        tags = rng.choice(TAGS, size=rng.integers(3), replace=False)
        terms.extend((u, "tag", f"topic{t}") for t in sorted(tags.tolist()))
    mentorship_draw = rng.random(n)
    interaction_draw = rng.integers(3, size=n)
    learning_draw = rng.integers(2 * len(LEARNING), size=n)  # half state one way of learning
    return Teachers(
        experience=rng.integers(1, 36, size=n),
        mentorship=[
            "offering" if x < 0.05 else "seeking" if x < 0.1 else "" for x in mentorship_draw
        ],
        interaction=[("reciprocal", "quiet", "")[i] for i in interaction_draw.tolist()],
        goals=[
            sorted(rng.choice(PURPOSES, size=1 + rng.integers(2), replace=False).tolist())
            for _ in range(n)
        ],
        learning=[[] if d >= len(LEARNING) else [LEARNING[d]] for d in learning_draw.tolist()],
        terms=terms,
        community=subject * len(bands) + band,
        list_purposes=[],
    )


def _follows(
    rng: np.random.Generator, params: SuggestionParams, community: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(follow_ptr, followees): each teacher's followees, sorted, no self, no repeats."""
    n = params.teachers
    groups = int(community.max()) + 1
    members = np.argsort(community, kind="stable")
    starts = np.searchsorted(community[members], np.arange(groups + 1))
    popularity = rng.pareto(1.2, size=n) + 1.0
    cumulative = np.cumsum(popularity / popularity.sum())
    drawn = rng.lognormal(np.log(params.follow_median), params.follow_sigma, size=n)
    degree = np.minimum(drawn.astype(np.int64), min(params.follow_max, n - 1))
    src = np.repeat(np.arange(n, dtype=np.int64), degree)
    dst = np.searchsorted(cumulative, rng.random(len(src))).clip(0, n - 1)
    local = rng.random(len(src)) < params.local_share
    c = community[src[local]]
    size = np.maximum(starts[c + 1] - starts[c], 1)
    offset = (rng.random(len(c)) * size).astype(np.int64)
    dst[local] = members[np.minimum(starts[c] + offset, n - 1)]
    back = rng.random(len(src)) < params.follow_back
    rows = np.concatenate([src, dst[back]])
    cols = np.concatenate([dst, src[back]])
    silent = rng.random(n) < params.no_follows
    keep = (rows != cols) & ~silent[rows]
    pairs = np.unique(rows[keep] * n + cols[keep])
    follower, followee = pairs // n, pairs % n
    # Followed-back stars would follow thousands: keep a random follow_max of anyone's.
    order = np.lexsort((rng.random(len(pairs)), follower))
    first = np.searchsorted(follower, follower)  # pairs are sorted by follower
    capped = np.sort(order[np.arange(len(order)) - first[order] < params.follow_max])
    follower, followee = follower[capped], followee[capped]
    ptr = np.concatenate(([0], np.cumsum(np.bincount(follower, minlength=n)))).astype(np.int64)
    return ptr, followee.astype(np.int64)


def _posts(
    rng: np.random.Generator, params: SuggestionParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    count = int(params.teachers * params.posts_per_teacher)
    activity = rng.lognormal(0.0, 1.0, size=params.teachers)
    author = rng.choice(params.teachers, size=count, p=activity / activity.sum())
    span = POST_DAYS * DAY_MS
    ms = np.sort(params.now_ms - span + rng.integers(0, span, size=count))
    seq = np.arange(count, dtype=np.int64) & ((1 << SEQUENCE_BITS) - 1)
    ids = (ms.astype(np.int64) << SEQUENCE_BITS) | seq
    if len(np.unique(ids)) != len(ids):
        raise RuntimeError("post ids collided; use fewer posts")
    modality = rng.choice(len(MODALITIES), size=count, p=_zipf(len(MODALITIES), 1.0))
    return author.astype(np.int64), ms.astype(np.int64), ids, modality.astype(np.int64)


def generate(params: SuggestionParams) -> SuggestionNetwork:
    """The network for `params`; the same seed always draws the same network."""
    rng = np.random.default_rng(params.seed)
    teachers = _teachers(rng, params.teachers)
    ptr, followees = _follows(rng, params, teachers.community)
    author, ms, ids, modality = _posts(rng, params)
    network_params = NetworkParams(
        users=params.teachers, posts=len(ids), seed=params.seed, now_ms=params.now_ms
    )
    network = Network(network_params, ptr, followees, author, ms, ids, np.empty(0, np.int64))
    counts = network.follow_counts()
    eligible = np.flatnonzero(counts >= 10)
    owners = np.sort(
        rng.choice(eligible, size=int(len(eligible) * params.list_share), replace=False)
    )
    network.viewers = owners.astype(np.int64)
    for owner in owners.tolist():
        follows = network.following(owner)
        size = min(len(follows), LIST_MEMBERS)
        network.list_members.append(np.sort(rng.choice(follows, size=size, replace=False)))
    teachers.list_purposes = rng.choice(PURPOSES, size=len(owners)).tolist()
    return SuggestionNetwork(params, network, teachers, modality)
