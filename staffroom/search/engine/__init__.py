"""The full-text index, one interface over SQLite FTS5 and PostgreSQL full-text search.

Each indexed kind has its own table (`search_<kind>`), keyed by the object's id. Both
backends match every word and phrase of a `ParsedQuery` (all must match), and answer:

- `newest_matches`: the ids of the newest matches (ids are snowflakes, so the largest ids
  are the newest), with a relevance score (larger is better), below an optional id: a
  window read straight off the index, so a word that matches half the posts costs no more
  than a rare one;
- `match_sql`: the same matches as a SQL subquery of ids, for queries that narrow by
  something else first (an author, a hashtag);
- `scores`: the relevance of given ids.

`merge_step` compacts an index a step at a time (SQLite FTS5 only; PostgreSQL's GIN needs
nothing), for the periodic job that keeps merging out of the posting transaction.

The backend is chosen by the connection's vendor. The words reach the database only as
quoted FTS5 strings or bound parameters (`staffroom.search.query`), never as syntax.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any, Protocol

from django.db import connection
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models.expressions import RawSQL

from staffroom.search.engine import postgres, sqlite
from staffroom.search.query import ParsedQuery


class Backend(Protocol):
    def create_index_sql(self, kind: str) -> list[str]: ...
    def tune_index_sql(self, kind: str) -> list[str]: ...
    def drop_index_sql(self, kind: str) -> list[str]: ...
    def upsert(self, kind: str, documents: Iterable[tuple[int, str]]) -> None: ...
    def remove(self, kind: str, ids: Collection[int]) -> None: ...
    def clear(self, kind: str) -> None: ...
    def merge_step(self, kind: str, pages: int) -> bool: ...
    def refresh_statistics(self, kind: str) -> None: ...
    def newest_matches(
        self, kind: str, query: ParsedQuery, *, limit: int, below: int | None
    ) -> list[tuple[int, float]]: ...
    def match_sql(
        self, kind: str, query: ParsedQuery, *, any_word: bool
    ) -> tuple[str, list[Any]]: ...
    def scores(
        self, kind: str, query: ParsedQuery, ids: Collection[int], *, any_word: bool
    ) -> dict[int, float]: ...
    def matching(self, kind: str, query: ParsedQuery, ids: Collection[int]) -> set[int]: ...


def backend(vendor: str | None = None) -> Backend:
    """The backend for `vendor` (by default the default connection's)."""
    return postgres.BACKEND if (vendor or connection.vendor) == "postgresql" else sqlite.BACKEND


def create_index(schema_editor: BaseDatabaseSchemaEditor, kind: str) -> None:
    """Make `kind`'s index table: for a migration's RunPython (see registry's doc)."""
    for statement in backend(schema_editor.connection.vendor).create_index_sql(kind):
        schema_editor.execute(statement)


def tune_index(schema_editor: BaseDatabaseSchemaEditor, kind: str) -> None:
    """Store the index's engine options on an existing table (`create_index` already does):
    for a migration that changes them."""
    for statement in backend(schema_editor.connection.vendor).tune_index_sql(kind):
        schema_editor.execute(statement)


def drop_index(schema_editor: BaseDatabaseSchemaEditor, kind: str) -> None:
    for statement in backend(schema_editor.connection.vendor).drop_index_sql(kind):
        schema_editor.execute(statement)


def upsert(kind: str, documents: Iterable[tuple[int, str]]) -> None:
    """Index (or index again) these (id, plain text) documents."""
    backend().upsert(kind, documents)


def remove(kind: str, ids: Collection[int]) -> None:
    if ids:
        backend().remove(kind, ids)


def clear(kind: str) -> None:
    backend().clear(kind)


def merge_step(kind: str, pages: int) -> bool:
    """Merge about `pages` pages of `kind`'s index in the caller's transaction; false when
    there was nothing (more) to merge."""
    return backend().merge_step(kind, pages)


def refresh_statistics(kind: str) -> None:
    """Bring the planner's statistics on `kind`'s index up to date (after a rebuild)."""
    backend().refresh_statistics(kind)


def newest_matches(
    kind: str, query: ParsedQuery, *, limit: int, below: int | None = None
) -> list[tuple[int, float]]:
    """(id, relevance) of the newest `limit` matches with ids below `below`, newest first."""
    if not query.has_words:
        return []
    return backend().newest_matches(kind, query, limit=limit, below=below)


def match_sql(kind: str, query: ParsedQuery, *, any_word: bool = False) -> tuple[str, list[Any]]:
    """A subquery selecting the ids that match (the query must have words): all words and
    phrases, or with `any_word` at least one (ranked by how many and how well)."""
    return backend().match_sql(kind, query, any_word=any_word)


def matching_ids(kind: str, query: ParsedQuery, *, any_word: bool = False) -> RawSQL:
    """`match_sql` as an expression for `pk__in=` in a queryset."""
    sql, params = match_sql(kind, query, any_word=any_word)
    return RawSQL(sql, params)  # noqa: S611 - the engines bind every word as a parameter


def matching(kind: str, query: ParsedQuery, ids: Collection[int]) -> set[int]:
    """Which of `ids` match all the words, without computing relevance (which costs FTS5
    a read per match: cheap for a page, not for every match of a common word)."""
    if not ids or not query.has_words:
        return set()
    return backend().matching(kind, query, ids)


def scores(
    kind: str, query: ParsedQuery, ids: Collection[int], *, any_word: bool = False
) -> dict[int, float]:
    """The relevance of each of `ids` that matches (larger is better)."""
    if not ids or not query.has_words:
        return {}
    return backend().scores(kind, query, ids, any_word=any_word)
