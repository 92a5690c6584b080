"""Writes to the search index: refresh some documents, or rebuild a kind from scratch."""

from __future__ import annotations

from collections.abc import Callable, Collection

from django.db import transaction

from staffroom.search import engine
from staffroom.search.registry import IndexSource, SearchKind, indexed_kinds, kind_named

REBUILD_BATCH = 5000


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
    with the running count after each batch. Returns how many documents were indexed."""
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
    return count


def rebuildable_kinds() -> list[SearchKind]:
    return indexed_kinds()
