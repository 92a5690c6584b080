"""Writes to the search index: refresh some documents, rebuild a kind from scratch, and
merge the index's segments off the posting path."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection

from django.db import transaction

from staffroom.search import engine
from staffroom.search.registry import IndexSource, SearchKind, indexed_kinds, kind_named

REBUILD_BATCH = 5000
# One merge step: FTS5 pages written per transaction (a page is 4 KiB). Small enough that
# a post waiting for SQLite's write lock behind a step waits a few milliseconds.
MERGE_PAGES = 100
# How long one run of the merge job keeps stepping; work left over waits for the next run.
MERGE_SECONDS = 20.0


def _source(kind: str) -> IndexSource:
    found = kind_named(kind)
    if found is None or found.index is None:
        raise ValueError(f"{kind!r} is not an indexed search kind")
    return found.index


def index_refresh(kind: str, ids: Collection[int]) -> None:
    """Index `ids` of `kind` as they are now: their documents written again, and the ids
    that no longer have one (deleted, removed, not indexed) taken out. Runs in the
    caller's transaction."""
    documents = _source(kind).documents_of(ids)
    engine.remove(kind, [pk for pk in ids if pk not in documents])
    engine.upsert(kind, documents.items())


def index_remove(kind: str, ids: Collection[int]) -> None:
    """Take `ids` of `kind` out of the index (rows gone or hidden), in the caller's
    transaction."""
    _source(kind)
    engine.remove(kind, ids)


def index_rebuild(
    kind: str, *, batch: int = REBUILD_BATCH, progress: Callable[[int], None] | None = None
) -> int:
    """Empty `kind`'s index and fill it again from the rows, `batch` documents at a time,
    in one transaction (readers see the old index until it commits). Calls `progress`
    with the running count after each batch. Returns how many documents were indexed.

    The many segments a rebuild writes are then merged at once, in steps (each its own
    transaction), so the first posts after it do not meet them."""
    source = _source(kind)
    count = 0
    with transaction.atomic():
        engine.clear(kind)
        after = 0
        while documents := source.batch(after, batch):
            engine.upsert(kind, documents)
            count += len(documents)
            after = documents[-1][0]
            if progress is not None:
                progress(count)
        engine.refresh_statistics(kind)
    index_merge(kind, seconds=None)
    return count


def rebuildable_kinds() -> list[SearchKind]:
    return indexed_kinds()


def index_merge(
    kind: str, *, pages: int = MERGE_PAGES, seconds: float | None = MERGE_SECONDS
) -> int:
    """Merge `kind`'s index segments, `pages` pages per transaction, until nothing is left
    to merge or `seconds` (None: no limit) have passed; returns the number of steps that
    merged something.

    Each step commits on its own, so writers (posting) never wait longer than one step for
    the write lock, and a merge left unfinished resumes at the next call."""
    _source(kind)
    deadline = None if seconds is None else time.monotonic() + seconds
    steps = 0
    while deadline is None or time.monotonic() < deadline:
        with transaction.atomic():
            merged = engine.merge_step(kind, pages)
        if not merged:
            break
        steps += 1
    return steps


def index_merge_all() -> dict[str, int]:
    """`index_merge` for every indexed kind; the steps taken per kind."""
    return {kind.name: index_merge(kind.name) for kind in indexed_kinds()}
