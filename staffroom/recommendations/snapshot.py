"""Graph-wide features: built from the database by a periodic job, stored as one
`FeatureSnapshot` row, loaded by each worker once per snapshot.

What a snapshot holds (arrays over the accounts in good standing, in profile id order):
the follow graph, each profile's terms as tokens (`subject:math`, `grade:g7`, `band:6-8`,
`practice:...`, `tag:...`; a sub-area also carries its subject), purpose-list memberships,
and per-account facts the purposes read (recent public posts by modality and by the
practices they talk about, experience, mentorship offered, reciprocal style, whether the
account may be suggested at all).

What it leaves out: the follows of accounts that hide their follows (`follow_pairs`).
What it never holds: anything about one teacher's request. Each request reads the teacher's
own follows, followers, lists, terms, blocks, mutes and dismissals from the database
(`selectors.py`), so a follow or a dismissal shows in the very next suggestions; only other
people's follows are as old as the snapshot.
"""

from __future__ import annotations

import functools
import io
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import scipy.sparse as sp
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from staffroom.core.pln import Mentorship, Modality
from staffroom.graph.models import Follow, PurposeList, PurposeListMember
from staffroom.posts.audience import audience_q
from staffroom.posts.models import Status
from staffroom.profiles import taxonomy
from staffroom.profiles.models import Profile, ProfileTerm
from staffroom.recommendations.engine.features import GraphArrays, precompute
from staffroom.recommendations.engine.graph import Dataset, IntArray, ListRow, binary_csr
from staffroom.recommendations.models import FeatureSnapshot
from staffroom.recommendations.practice_posts import (
    PRACTICE_COLUMN,
    PRACTICE_SLUGS,
    practice_post_counts,
)

ACTIVITY_WINDOW = timedelta(days=60)
MODALITIES: tuple[str, ...] = tuple(Modality.values)
SNAPSHOTS_KEPT = 2
_CHUNK = 50_000

_SUBJECT_PARENT = {term.slug: term.parent for term in taxonomy.SUBJECTS if term.parent}
_BAND_OF = {grade: band for band, (_label, grades) in taxonomy.BANDS.items() for grade in grades}


def profile_tokens(kind: str, value: str) -> list[str]:
    """The snapshot tokens of one profile term: itself, plus the subject of a sub-area and
    the band of a grade, so "algebra" meets "math" and grade 7 meets grades 6-8."""
    tokens = [f"{kind}:{value}"]
    if kind == "subject" and value in _SUBJECT_PARENT:
        tokens.append(f"subject:{_SUBJECT_PARENT[value]}")
    if kind == "grade" and value in _BAND_OF:
        tokens.append(f"band:{_BAND_OF[value]}")
    return tokens


@dataclass(frozen=True)
class Snapshot:
    """A loaded snapshot: the engine's arrays plus the product's per-account facts."""

    id: int
    created_at: datetime
    profile_ids: IntArray  # sorted; index i is profile_ids[i]
    arrays: GraphArrays
    terms: sp.csr_matrix  # binary accounts x vocabulary
    vocabulary: dict[str, int]
    list_ids: IntArray  # PurposeList pk of each row of arrays.lists
    list_purposes: tuple[str, ...]
    posts: np.ndarray  # recent public posts, accounts x MODALITIES
    practice_posts: sp.csr_matrix  # recent public posts about each practice, x PRACTICE_SLUGS
    experience: np.ndarray
    offers_mentorship: np.ndarray
    reciprocal: np.ndarray
    suggestable: np.ndarray

    @functools.cached_property
    def unsuggestable(self) -> IntArray:
        """Indices of the accounts never suggested (not discoverable, away, limited,
        suspended, inactive at the snapshot): the same for every request on it."""
        return np.flatnonzero(~self.suggestable).astype(np.int64)

    @property
    def n(self) -> int:
        return int(self.profile_ids.shape[0])

    def indices_of(self, profile_ids: Iterable[int]) -> IntArray:
        """Snapshot indices of the given profile ids; ids not in the snapshot are dropped."""
        ids = (
            profile_ids.astype(np.int64, copy=False)
            if isinstance(profile_ids, np.ndarray)
            else np.fromiter(profile_ids, dtype=np.int64)
        )
        if ids.size == 0 or self.n == 0:
            return np.zeros(0, dtype=np.int64)
        pos = np.searchsorted(self.profile_ids, ids)
        pos = np.minimum(pos, self.n - 1)
        return np.asarray(pos[self.profile_ids[pos] == ids], dtype=np.int64)

    def index_of(self, profile_id: int) -> int:
        """The snapshot index of one profile, or -1 if it joined after the snapshot."""
        found = self.indices_of([profile_id])
        return int(found[0]) if len(found) else -1

    def tokens_by_id(self, profile_ids: Iterable[int]) -> dict[int, set[str]]:
        """The snapshot's tokens of each given profile (as old as the snapshot: for the
        wording of reasons about candidates, never for the teacher's own profile)."""
        names = self.token_names
        found: dict[int, set[str]] = {}
        for pk in profile_ids:
            index = self.index_of(pk)
            if index >= 0:
                row = self.terms.indices[self.terms.indptr[index] : self.terms.indptr[index + 1]]
                found[pk] = {names[column] for column in row.tolist()}
        return found

    @functools.cached_property
    def token_names(self) -> tuple[str, ...]:
        """Token strings by column (the vocabulary reversed)."""
        names = [""] * len(self.vocabulary)
        for token, column in self.vocabulary.items():
            names[column] = token
        return tuple(names)

    def token_indices(self, tokens: list[str]) -> IntArray:
        return np.array(
            sorted({self.vocabulary[t] for t in tokens if t in self.vocabulary}), dtype=np.int64
        )


def _column_pairs(sql: str) -> np.ndarray:
    """A two-integer-column query as an (rows, 2) array, fetched in chunks (the follow table
    of a large community does not fit in Python tuples comfortably)."""
    parts: list[np.ndarray] = []
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(_CHUNK):
            parts.append(np.array(rows, dtype=np.int64).reshape(-1, 2))
    return np.concatenate(parts) if parts else np.zeros((0, 2), dtype=np.int64)


def _index_pairs(profile_ids: IntArray, pairs: np.ndarray) -> tuple[IntArray, IntArray]:
    """Map (profile id, profile id) pairs to snapshot indices, dropping unknown ids."""
    if len(pairs) == 0 or len(profile_ids) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    left = np.minimum(np.searchsorted(profile_ids, pairs[:, 0]), len(profile_ids) - 1)
    right = np.minimum(np.searchsorted(profile_ids, pairs[:, 1]), len(profile_ids) - 1)
    keep = (profile_ids[left] == pairs[:, 0]) & (profile_ids[right] == pairs[:, 1])
    return left[keep].astype(np.int64), right[keep].astype(np.int64)


def _accounts() -> tuple[IntArray, dict[str, np.ndarray]]:
    rows = list(
        Profile.objects.in_good_standing()
        .order_by("pk")
        .values_list(
            "pk",
            "experience_years",
            "mentorship",
            "interaction_style",
            "is_discoverable",
            "is_away",
            "limited_at",
        )
    )
    ids = np.array([row[0] for row in rows], dtype=np.int64)
    facts = {
        "experience": np.array([row[1] or 0 for row in rows], dtype=np.float64),
        "offers_mentorship": np.array(
            [row[2] == Mentorship.OFFERING for row in rows], dtype=np.bool_
        ),
        "reciprocal": np.array([row[3] == "reciprocal" for row in rows], dtype=np.bool_),
        "suggestable": np.array(
            [bool(row[4]) and not row[5] and row[6] is None for row in rows], dtype=np.bool_
        ),
    }
    return ids, facts


def follow_pairs(ids: IntArray) -> tuple[IntArray, IntArray]:
    """The follow graph as (follower, followee) snapshot indices, less the follows of
    accounts that hide their follows: as in Mastodon's friends-of-friends, what such an
    account follows never becomes a reason ("followed by 3 people you follow") or a
    signal for anyone else. Their own suggestions still use their follows, read live."""
    table = Follow._meta.db_table
    follower, followee = _index_pairs(
        ids,
        _column_pairs(f"SELECT follower_id, followee_id FROM {table}"),  # noqa: S608
    )
    hiding = np.isin(
        ids,
        np.fromiter(
            Profile.objects.filter(hide_follows=True).values_list("pk", flat=True), dtype=np.int64
        ),
    )
    keep = ~hiding[follower] if len(follower) else np.zeros(0, dtype=np.bool_)
    return follower[keep], followee[keep]


def _terms(ids: IntArray) -> tuple[sp.csr_matrix, list[str]]:
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    position = {int(pk): i for i, pk in enumerate(ids.tolist())}
    for profile_id, kind, value in ProfileTerm.objects.values_list(
        "profile_id", "kind", "value"
    ).iterator(chunk_size=_CHUNK):
        row = position.get(profile_id)
        if row is None:
            continue
        for token in profile_tokens(kind, value):
            rows.append(row)
            cols.append(vocabulary.setdefault(token, len(vocabulary)))
    shape = (len(ids), max(1, len(vocabulary)))
    matrix = binary_csr(np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64), shape)
    return matrix, list(vocabulary)


def _recent_public_posts() -> QuerySet[Status]:
    """Posts anyone may read, written (not reshared) in the last ACTIVITY_WINDOW and not
    removed: the only posts a snapshot's facts count, so no fact, and no reason shown to
    someone else, rests on a post they could not see."""
    return Status.objects.filter(
        audience_q(None),  # what someone signed out may read: public and unlisted
        created_at__gte=timezone.now() - ACTIVITY_WINDOW,
        removed_at__isnull=True,
        reblog_of__isnull=True,
    )


def _posts(ids: IntArray) -> np.ndarray:
    counts = np.zeros((len(ids), len(MODALITIES)), dtype=np.float64)
    if len(ids) == 0:
        return counts
    column = {modality: i for i, modality in enumerate(MODALITIES)}
    recent = _recent_public_posts().values("account_id", "modality").annotate(total=Count("pk"))
    for row in recent:
        index = int(np.searchsorted(ids, row["account_id"]))
        if index < len(ids) and ids[index] == row["account_id"] and row["modality"] in column:
            counts[index, column[row["modality"]]] = row["total"]
    return counts


def _practice_posts(ids: IntArray) -> sp.csr_matrix:
    """How many recent public posts of each account talk about each practice."""
    rows = (
        _recent_public_posts()
        .values_list("account_id", "spoiler_text", "text")
        .iterator(chunk_size=_CHUNK)
    )
    return practice_post_counts(ids, ((author, f"{cw}\n{text}") for author, cw, text in rows))


def _lists(ids: IntArray) -> tuple[list[int], list[str], list[ListRow]]:
    members: dict[int, list[int]] = {}
    for list_id, profile_id in PurposeListMember.objects.values_list(
        "list_id", "profile_id"
    ).iterator(chunk_size=_CHUNK):
        members.setdefault(list_id, []).append(profile_id)
    list_ids: list[int] = []
    purposes: list[str] = []
    rows: list[ListRow] = []
    for list_id, owner_id, purpose in PurposeList.objects.filter(pk__in=list(members)).values_list(
        "pk", "owner_id", "purpose"
    ):
        owner = int(np.searchsorted(ids, owner_id)) if len(ids) else 0
        if owner >= len(ids) or ids[owner] != owner_id:
            continue
        found = np.searchsorted(ids, np.array(members[list_id], dtype=np.int64))
        found = np.minimum(found, len(ids) - 1)
        kept = found[ids[found] == np.array(members[list_id], dtype=np.int64)]
        list_ids.append(list_id)
        purposes.append(purpose)
        rows.append(ListRow(owner, str(list_id), np.unique(kept).astype(np.int64)))
    return list_ids, purposes, rows


def _practice_payload(counts: sp.csr_matrix) -> dict[str, np.ndarray]:
    return {
        "practice_slugs": np.array(PRACTICE_SLUGS, dtype=np.str_),
        "practice_indptr": counts.indptr.astype(np.int64),
        "practice_indices": counts.indices.astype(np.int32),
        "practice_counts": counts.data.astype(np.int32),
    }


def _practice_matrix(raw: dict[str, np.ndarray], n: int) -> sp.csr_matrix:
    """The stored practice counts with columns in today's PRACTICE_SLUGS order (the
    taxonomy may have gained or lost practices since the snapshot; one stored before
    practice counts existed has none)."""
    if "practice_slugs" not in raw:
        return sp.csr_matrix((n, len(PRACTICE_SLUGS)))
    stored = sp.csr_matrix(
        (
            raw["practice_counts"].astype(np.float64),
            raw["practice_indices"].astype(np.int64),
            raw["practice_indptr"],
        ),
        shape=(n, len(raw["practice_slugs"])),
    )
    moved = [
        (column, PRACTICE_COLUMN[str(slug)])
        for column, slug in enumerate(raw["practice_slugs"].tolist())
        if str(slug) in PRACTICE_COLUMN
    ]
    remap = sp.csr_matrix(
        (
            np.ones(len(moved)),
            ([old for old, _new in moved], [new for _old, new in moved]),
        ),
        shape=(stored.shape[1], len(PRACTICE_SLUGS)),
    )
    return sp.csr_matrix(stored @ remap)


def _encode(arrays: dict[str, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
    return buffer.getvalue()


def snapshot_build() -> FeatureSnapshot:
    """Read the whole graph once and store a new snapshot (the periodic job's work); older
    snapshots beyond the latest SNAPSHOTS_KEPT are deleted."""
    started = time.perf_counter()
    ids, facts = _accounts()
    follower, followee = follow_pairs(ids)
    terms, vocabulary = _terms(ids)
    list_ids, purposes, list_rows = _lists(ids)
    lists_indptr = np.cumsum([0, *(len(row.members) for row in list_rows)]).astype(np.int64)
    payload = {
        "profile_ids": ids,
        "follower": follower.astype(np.int32),
        "followee": followee.astype(np.int32),
        "terms_indptr": terms.indptr.astype(np.int64),
        "terms_indices": terms.indices.astype(np.int32),
        "vocabulary": np.array(vocabulary, dtype=np.str_),
        "list_ids": np.array(list_ids, dtype=np.int64),
        "list_purposes": np.array(purposes, dtype=np.str_),
        "list_owners": np.array([row.owner for row in list_rows], dtype=np.int64),
        "lists_indptr": lists_indptr,
        "lists_members": (
            np.concatenate([row.members for row in list_rows]).astype(np.int32)
            if list_rows
            else np.zeros(0, dtype=np.int32)
        ),
        "posts": _posts(ids),
        **_practice_payload(_practice_posts(ids)),
        **facts,
    }
    data = _encode(payload)
    elapsed = int((time.perf_counter() - started) * 1000)
    with transaction.atomic():
        row = FeatureSnapshot.objects.create(
            accounts=len(ids), follows=len(follower), build_ms=elapsed, data=data
        )
        stale = FeatureSnapshot.objects.order_by("-pk").values_list("pk", flat=True)[
            SNAPSHOTS_KEPT:
        ]
        FeatureSnapshot.objects.filter(pk__in=list(stale)).delete()
    return row


def snapshot_decode(row_id: int, created_at: datetime, data: bytes | memoryview) -> Snapshot:
    """Turn a stored snapshot into the engine's arrays (the CSR transposes, TF-IDF and
    degree arrays are derived here, not stored)."""
    with np.load(io.BytesIO(bytes(data)), allow_pickle=False) as stored:
        raw = {key: stored[key] for key in stored.files}
    ids = raw["profile_ids"].astype(np.int64)
    n = len(ids)
    vocabulary = [str(token) for token in raw["vocabulary"].tolist()]
    terms_data = np.ones(len(raw["terms_indices"]), dtype=np.float64)
    terms = sp.csr_matrix(
        (terms_data, raw["terms_indices"].astype(np.int64), raw["terms_indptr"]),
        shape=(n, max(1, len(vocabulary))),
    )
    follows = binary_csr(raw["follower"].astype(np.int64), raw["followee"].astype(np.int64), (n, n))
    indptr = raw["lists_indptr"]
    members = raw["lists_members"].astype(np.int64)
    owners = raw["list_owners"]
    list_rows = tuple(
        ListRow(int(owners[i]), str(i), members[indptr[i] : indptr[i + 1]])
        for i in range(len(owners))
    )
    dataset = Dataset(
        name=f"snapshot-{row_id}", directed=True, follows=follows, profiles=terms, lists=list_rows
    )
    return Snapshot(
        id=row_id,
        created_at=created_at,
        profile_ids=ids,
        arrays=precompute(dataset),
        terms=terms,
        vocabulary={token: i for i, token in enumerate(vocabulary)},
        list_ids=raw["list_ids"].astype(np.int64),
        list_purposes=tuple(str(p) for p in raw["list_purposes"].tolist()),
        posts=raw["posts"],
        practice_posts=_practice_matrix(raw, n),
        experience=raw["experience"],
        offers_mentorship=raw["offers_mentorship"],
        reciprocal=raw["reciprocal"],
        suggestable=raw["suggestable"],
    )


_lock = threading.Lock()
_loaded: Snapshot | None = None
_loading: threading.Thread | None = None


def _fetch_and_decode(row_id: int, created_at: datetime) -> Snapshot | None:
    data = FeatureSnapshot.objects.filter(pk=row_id).values_list("data", flat=True).first()
    if data is None:  # deleted meanwhile by a newer build
        return None
    return snapshot_decode(row_id, created_at, data)


def _load_in_background(row_id: int, created_at: datetime) -> None:
    """Decode a newer snapshot beside the one being served, then swap it in: loading 5
    million follows takes seconds, which no request should wait for."""
    global _loaded, _loading
    try:
        fresh = _fetch_and_decode(row_id, created_at)
        if fresh is not None:
            _loaded = fresh
    finally:
        connection.close()  # this thread's own database connection
        with _lock:
            _loading = None


def current_snapshot() -> Snapshot:
    """The newest stored snapshot, loaded once per worker (one indexed query per call to
    notice a newer one). While a newer one loads in the background the previous one keeps
    serving (`STAFFROOM_SUGGESTIONS_LOAD_IN_BACKGROUND`; the tests load it at once). With
    none stored yet (a new server before its first periodic run), one is built now."""
    global _loaded, _loading
    latest = FeatureSnapshot.objects.order_by("-pk").values_list("pk", "created_at").first()
    if latest is None:
        built = snapshot_build()
        latest = (built.pk, built.created_at)
    cached = _loaded
    # The time as well as the id: SQLite may reuse the id of a row deleted or rolled back.
    if cached is not None and (cached.id, cached.created_at) == latest:
        return cached
    if cached is not None and settings.STAFFROOM_SUGGESTIONS_LOAD_IN_BACKGROUND:
        with _lock:
            if _loading is None:
                _loading = threading.Thread(
                    target=_load_in_background,
                    args=latest,
                    name="suggestions-snapshot",
                    daemon=True,
                )
                _loading.start()
        return cached
    with _lock:
        if _loaded is not None and (_loaded.id, _loaded.created_at) == latest:
            return _loaded
        fresh = _fetch_and_decode(*latest)
        if fresh is None:
            return current_snapshot()
        _loaded = fresh
        return _loaded


def snapshot_wait() -> None:
    """Wait for a background load to finish (tests and the benchmark)."""
    thread = _loading
    if thread is not None:
        thread.join()


def snapshot_forget() -> None:
    """Drop this worker's loaded snapshot (tests; the id check makes it unnecessary otherwise)."""
    global _loaded
    _loaded = None


__all__ = [
    "MODALITIES",
    "Snapshot",
    "current_snapshot",
    "profile_tokens",
    "snapshot_build",
    "snapshot_decode",
    "snapshot_forget",
    "snapshot_wait",
]
