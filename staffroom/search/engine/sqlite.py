"""The SQLite backend: one FTS5 table per kind, its rowid the object's id.

The tokenizer is `unicode61 remove_diacritics 2` (Unicode word rules, case and accents
folded), the one FTS5 offers on every build. `ORDER BY rowid DESC` walks the index newest
first and stops at the window, so a common word costs the window, not every match.
Relevance is FTS5's bm25 (negated: larger is better).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from django.db import connection

from staffroom.search.query import ParsedQuery

TOKENIZER = "unicode61 remove_diacritics 2"


def table(kind: str) -> str:
    if not kind.isidentifier():
        raise ValueError(f"not a kind name: {kind!r}")
    return f"search_{kind}"


def fts_query(query: ParsedQuery, *, any_word: bool = False) -> str:
    """The MATCH expression: each word and phrase as an FTS5 string (quotes doubled), all
    required (or, with `any_word`, any). Nothing the searcher typed is read as an
    operator: the only operator here is the OR written by this function."""
    quoted = ['"' + word.replace('"', '""') + '"' for word in query.words]
    return (" OR " if any_word else " ").join(quoted)


class SqliteBackend:
    def create_index_sql(self, kind: str) -> list[str]:
        return [f"CREATE VIRTUAL TABLE {table(kind)} USING fts5(body, tokenize='{TOKENIZER}')"]

    def drop_index_sql(self, kind: str) -> list[str]:
        return [f"DROP TABLE IF EXISTS {table(kind)}"]

    def upsert(self, kind: str, documents: Iterable[tuple[int, str]]) -> None:
        rows = list(documents)
        if not rows:
            return
        name = table(kind)  # identifiers only, so formatting it in is safe
        with connection.cursor() as cursor:
            # An FTS5 table has no upsert: delete, then insert.
            delete = f"DELETE FROM {name} WHERE rowid = %s"  # noqa: S608
            cursor.executemany(delete, [(pk,) for pk, _ in rows])
            insert = f"INSERT INTO {name} (rowid, body) VALUES (%s, %s)"  # noqa: S608
            cursor.executemany(insert, rows)

    def remove(self, kind: str, ids: Collection[int]) -> None:
        delete = f"DELETE FROM {table(kind)} WHERE rowid = %s"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.executemany(delete, [(pk,) for pk in ids])

    def clear(self, kind: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table(kind)}")  # noqa: S608

    def newest_matches(
        self, kind: str, query: ParsedQuery, *, limit: int, below: int | None
    ) -> list[tuple[int, float]]:
        name = table(kind)
        sql = f"SELECT rowid, bm25({name}) FROM {name} WHERE {name} MATCH %s"  # noqa: S608
        params: list[Any] = [fts_query(query)]
        if below is not None:
            sql += " AND rowid < %s"
            params.append(below)
        sql += " ORDER BY rowid DESC LIMIT %s"
        params.append(limit)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [(int(pk), -float(rank)) for pk, rank in cursor.fetchall()]

    def match_sql(self, kind: str, query: ParsedQuery, *, any_word: bool) -> tuple[str, list[Any]]:
        name = table(kind)
        sql = f"SELECT rowid FROM {name} WHERE {name} MATCH %s"  # noqa: S608
        return sql, [fts_query(query, any_word=any_word)]

    def scores(
        self, kind: str, query: ParsedQuery, ids: Collection[int], *, any_word: bool
    ) -> dict[int, float]:
        name = table(kind)
        marks = ", ".join(["%s"] * len(ids))
        sql = (
            f"SELECT rowid, bm25({name}) FROM {name} "  # noqa: S608
            f"WHERE {name} MATCH %s AND rowid IN ({marks})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [fts_query(query, any_word=any_word), *ids])
            return {int(pk): -float(rank) for pk, rank in cursor.fetchall()}


BACKEND = SqliteBackend()
