"""The SQLite backend: one FTS5 table per kind, its rowid the object's id.

The tokenizer is `unicode61 remove_diacritics 2` (Unicode word rules, case and accents
folded), the one FTS5 offers on every build. `ORDER BY rowid DESC` walks the index newest
first and stops at the window, so a common word costs the window, not every match.
Relevance is FTS5's bm25 (negated: larger is better).

Each write transaction adds a segment to an FTS5 table; FTS5 merges segments to keep
lookups cheap. Left to itself (`automerge`) it merges inside whichever write comes next,
so a post could wait behind a merge while holding SQLite's write lock. Every table is
therefore created with `automerge` off, and `merge_step` does the merging in small steps,
each its own short transaction, from a periodic job (`search.merge`,
docs/subsystems/search.md).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from django.db import connection

from staffroom.search.query import ParsedQuery

TOKENIZER = "unicode61 remove_diacritics 2"
# FTS5 options stored in each table (its `_config` shadow table). `automerge` 0: a write
# never merges on its own. `crisismerge`: the segments one level may hold before the write
# that adds one more merges them all. FTS5's default (16) is kept and written down: the
# merge job keeps levels far below it, and a level of 16 one-post segments merges in a few
# milliseconds. Higher lets searches slow down (745 segments: a common word's FTS5 query
# 28 ms at the median, not 6 to 16) and runs into FTS5's limit of 2,000 segments, an
# error on posting.
AUTOMERGE = 0
CRISISMERGE = 16


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


def option_sql(kind: str, option: str, value: int) -> str:
    """The statement that stores an FTS5 option in `kind`'s table (it persists)."""
    name = table(kind)
    return f"INSERT INTO {name} ({name}, rank) VALUES ('{option}', {int(value)})"  # noqa: S608


class SqliteBackend:
    def create_index_sql(self, kind: str) -> list[str]:
        create = f"CREATE VIRTUAL TABLE {table(kind)} USING fts5(body, tokenize='{TOKENIZER}')"
        return [create, *self.tune_index_sql(kind)]

    def tune_index_sql(self, kind: str) -> list[str]:
        """Merging off the write path: see the module's docstring."""
        return [
            option_sql(kind, "automerge", AUTOMERGE),
            option_sql(kind, "crisismerge", CRISISMERGE),
        ]

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

    def merge_step(self, kind: str, pages: int) -> bool:
        """Merge up to about `pages` pages of `kind`'s segments (FTS5's `merge` command, in
        the caller's transaction); false once no level holds enough segments to merge. FTS5
        resumes a merge left unfinished, so steps can be spread over transactions."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT total_changes()")
            (before,) = cursor.fetchone()
            cursor.execute(option_sql(kind, "merge", pages))
            cursor.execute("SELECT total_changes()")
            (after,) = cursor.fetchone()
        # FTS5's documented test: fewer than two changes means there was nothing to merge.
        return bool(after - before >= 2)

    def refresh_statistics(self, kind: str) -> None:
        """Analyze the table's shadow tables (`ANALYZE` in the caller's transaction).

        FTS5 deletes a merged segment's pages by a range of ids in `<table>_data`. If the
        planner's statistics were taken while the index was small (an `ANALYZE` on a new
        server), it scans the whole table instead, and every merge costs a read of the index
        (50 ms a segment at 1,000,000 posts). Fresh statistics keep it a range seek."""
        name = table(kind)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {name}_data")
            cursor.execute(f"ANALYZE {name}_idx")

    def segment_count(self, kind: str) -> int:
        """How many segments `kind`'s table has (distinct ids in its `_idx` shadow table,
        which holds each segment's b-tree keys)."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(DISTINCT segid) FROM {table(kind)}_idx")  # noqa: S608
            (count,) = cursor.fetchone()
        return int(count)

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

    def matching(self, kind: str, query: ParsedQuery, ids: Collection[int]) -> set[int]:
        name = table(kind)
        marks = ", ".join(["%s"] * len(ids))
        sql = f"SELECT rowid FROM {name} WHERE {name} MATCH %s AND rowid IN ({marks})"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [fts_query(query), *ids])
            return {int(pk) for (pk,) in cursor.fetchall()}


BACKEND = SqliteBackend()
