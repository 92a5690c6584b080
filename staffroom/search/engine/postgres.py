"""The PostgreSQL backend: one table per kind, `(object_id, document tsvector)`, GIN-indexed.

The text search configuration is `simple` (lower-cased words, no stemming, no stop words):
teachers write in many languages, and a language's stemmer would be wrong for the others.
Accents are folded in Python (`fold`) on both the documents and the query, as SQLite's
`remove_diacritics` does, so both engines find the same posts. The query is built from
`phraseto_tsquery('simple', %s)` per word or phrase, joined with `&&`: the words are
bound parameters, never tsquery syntax. Relevance is `ts_rank`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable
from typing import Any

from django.db import connection

from staffroom.search.engine.sqlite import table
from staffroom.search.query import ParsedQuery

CONFIG = "simple"


def fold(text: str) -> str:
    """`text` without combining accents (é -> e, ö -> o), NUL dropped."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\x00", " "))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def ts_query(query: ParsedQuery, *, any_word: bool = False) -> tuple[str, list[Any]]:
    """The tsquery expression (placeholders only: `&&` for all words, `||` for any) and its
    parameters."""
    parts = [f"phraseto_tsquery('{CONFIG}', %s)" for _ in query.words]
    joiner = " || " if any_word else " && "
    return "(" + joiner.join(parts) + ")", [fold(word) for word in query.words]


class PostgresBackend:
    def create_index_sql(self, kind: str) -> list[str]:
        name = table(kind)
        return [
            f"CREATE TABLE {name} (object_id bigint PRIMARY KEY, document tsvector NOT NULL)",
            f"CREATE INDEX {name}_document ON {name} USING gin (document)",
        ]

    def tune_index_sql(self, kind: str) -> list[str]:
        """Nothing to tune: GIN keeps its own pending list and merges it in VACUUM."""
        return []

    def drop_index_sql(self, kind: str) -> list[str]:
        return [f"DROP TABLE IF EXISTS {table(kind)}"]

    def upsert(self, kind: str, documents: Iterable[tuple[int, str]]) -> None:
        rows = [(pk, fold(text)) for pk, text in documents]
        if not rows:
            return
        sql = (
            f"INSERT INTO {table(kind)} (object_id, document) "  # noqa: S608 - identifiers only
            f"VALUES (%s, to_tsvector('{CONFIG}', %s)) "
            "ON CONFLICT (object_id) DO UPDATE SET document = EXCLUDED.document"
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    def remove(self, kind: str, ids: Collection[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {table(kind)} WHERE object_id = ANY(%s)",  # noqa: S608
                [list(ids)],
            )

    def clear(self, kind: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {table(kind)}")

    def merge_step(self, kind: str, pages: int) -> bool:
        """Nothing to merge (see `tune_index_sql`)."""
        return False

    def refresh_statistics(self, kind: str) -> None:
        """Left to autovacuum's ANALYZE, which follows the table's growth."""

    def newest_matches(
        self, kind: str, query: ParsedQuery, *, limit: int, below: int | None
    ) -> list[tuple[int, float]]:
        tsquery, params = ts_query(query)
        # The expression twice (rank and match): constant-folded, so the GIN index is used.
        sql = (
            f"SELECT object_id, ts_rank(document, {tsquery}) FROM {table(kind)} "  # noqa: S608
            f"WHERE document @@ {tsquery}"
        )
        values: list[Any] = [*params, *params]
        if below is not None:
            sql += " AND object_id < %s"
            values.append(below)
        sql += " ORDER BY object_id DESC LIMIT %s"
        with connection.cursor() as cursor:
            cursor.execute(sql, [*values, limit])
            return [(int(pk), float(rank)) for pk, rank in cursor.fetchall()]

    def match_sql(self, kind: str, query: ParsedQuery, *, any_word: bool) -> tuple[str, list[Any]]:
        tsquery, params = ts_query(query, any_word=any_word)
        return f"SELECT object_id FROM {table(kind)} WHERE document @@ {tsquery}", params  # noqa: S608

    def scores(
        self, kind: str, query: ParsedQuery, ids: Collection[int], *, any_word: bool
    ) -> dict[int, float]:
        tsquery, params = ts_query(query, any_word=any_word)
        sql = (
            f"SELECT object_id, ts_rank(document, {tsquery}) FROM {table(kind)} "  # noqa: S608
            "WHERE object_id = ANY(%s)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, list(ids)])
            return {int(pk): float(rank) for pk, rank in cursor.fetchall()}

    def matching(self, kind: str, query: ParsedQuery, ids: Collection[int]) -> set[int]:
        tsquery, params = ts_query(query)
        sql = (
            f"SELECT object_id FROM {table(kind)} "  # noqa: S608
            f"WHERE object_id = ANY(%s) AND document @@ {tsquery}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [list(ids), *params])
            return {int(pk) for (pk,) in cursor.fetchall()}


BACKEND = PostgresBackend()
