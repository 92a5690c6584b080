"""Reading row counts and applied migrations, the same way on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any, Protocol

from staffroom.core.backup.manifest import DatabaseState

# `migrate` fills these on an empty database: rows here alone do not make it "in use".
BOOKKEEPING_TABLES = frozenset({"django_migrations", "django_content_type", "auth_permission"})


class Cursor(Protocol):
    """The part of a DB-API cursor we use (sqlite3's and Django's both fit)."""

    def execute(self, sql: str, /) -> Any: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> Any: ...


def quote_name(name: str) -> str:
    """An SQL identifier in double quotes, valid in SQLite and PostgreSQL."""
    return '"' + name.replace('"', '""') + '"'


def read_state(cursor: Cursor, tables: list[str]) -> DatabaseState:
    """Count the rows of each table and list applied migrations per app (oldest first)."""
    counts: dict[str, int] = {}
    for table in sorted(tables):
        # The names come from the database's own catalogue and are quoted.
        cursor.execute(f"SELECT COUNT(*) FROM {quote_name(table)}")  # noqa: S608
        counts[table] = int(cursor.fetchone()[0])
    migrations: dict[str, list[str]] = {}
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, id")
        for app, name in cursor.fetchall():
            migrations.setdefault(str(app), []).append(str(name))
    return DatabaseState(row_counts=counts, migrations=migrations)


def describe_data(state: DatabaseState) -> str | None:
    """Say which tables hold data (beyond what `migrate` writes), or None when none do."""
    used = {
        table: rows
        for table, rows in state.row_counts.items()
        if rows and table not in BOOKKEEPING_TABLES
    }
    if not used:
        return None
    largest = sorted(used.items(), key=lambda item: (-item[1], item[0]))
    shown = ", ".join(f"{table}: {_rows(rows)}" for table, rows in largest[:5])
    more = len(largest) - 5
    return shown + (f" and {more} more tables" if more > 0 else "")


def count_mismatches(expected: dict[str, int], actual: dict[str, int]) -> list[str]:
    """Tables whose row count differs from the manifest, as readable lines."""
    return [
        f"{table} has {_rows(actual.get(table, 0))}, the manifest says {rows}"
        for table, rows in sorted(expected.items())
        if actual.get(table) != rows
    ]


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"
