"""Where the benchmarks' data lives: a cached, fully generated database per data set,
network and schema, and a fresh copy of it for each run.

What a database holds is a `DataSpec`: its name (`feeds-10000`, `suggestions-100000`), a
cache key, the big tables and the loader that draws the network and writes its rows.

- SQLite: the cache is one file, `<bench dir>/cache/<name>-<key>.sqlite3`; a run copies it
  to `<bench dir>/run-<name>/staffroom.sqlite3` (STAFFROOM_DATA_DIR for the server).
- PostgreSQL: the cache is a database `staffroom_bench_c_<name>_<key>`; a run creates
  `staffroom_bench_run` from it as a template (a file copy inside the server).

The key hashes the network parameters, every migration file and the generator's source, so
a schema or generator change builds a new cache. Building: `staffroom migrate` on an empty
database, then the rows in bulk (SQLite: executemany in one transaction with journaling
off; PostgreSQL: COPY with foreign-key triggers off), secondary indexes dropped during the
load and rebuilt after it, then ANALYZE.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.network import Network, NetworkParams
from bench.rows import Row, adapted_rows, chunks, postgres_value, sqlite_value

ROOT = Path(__file__).resolve().parents[1]
BIG_TABLES = ("posts_status", "graph_follow", "timelines_feedentry")
RUN_DB = "staffroom_bench_run"
CACHE_PREFIX = "staffroom_bench_c_"
Log = Callable[[str], None]
Writer = Callable[[str, Sequence[str], Iterable[Row], Row], None]


def source_key(params_key: str, generator_sources: Sequence[str]) -> str:
    """A cache key: the network parameters, every migration and the generator's source
    (files in bench/), so a schema or generator change builds a new cache."""
    digest = hashlib.sha256(params_key.encode())
    sources = sorted(ROOT.glob("staffroom/*/migrations/*.py"))
    sources += [ROOT / "bench" / name for name in generator_sources]
    for path in sources:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class DataSpec:
    """One data set: `load(writer, domain, log)` draws it and writes its rows through
    `writer(table, columns, rows, constants)`; `big_tables` lose their secondary indexes
    while it loads (rebuilt after)."""

    name: str
    key: str
    big_tables: tuple[str, ...]
    load: Callable[[Writer, str, Log], None]


def feeds_spec(params: NetworkParams) -> DataSpec:
    """The feeds benchmark's network (`bench/network.py`, `bench/rows.py`)."""

    def load(writer: Writer, domain: str, log: Log) -> None:
        from bench.rows import NetworkRows

        NetworkRows(build_network(params, log), domain=domain).write(writer, log)

    key = source_key(params.key(), ("network.py", "rows.py"))
    return DataSpec(f"feeds-{params.users}", key, BIG_TABLES, load)


def django_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="bench.settings", PYTHONPATH=str(ROOT), **extra)
    return env


def migrate(env: dict[str, str], log: Log) -> None:
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "staffroom.cli", "migrate", "--noinput", "-v", "0"],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=600,
    )
    log(f"  migrate: {time.monotonic() - started:.1f}s")


def build_network(params: NetworkParams, log: Log) -> Network:
    from bench.network import generate

    started = time.monotonic()
    network = generate(params)
    log(f"  network drawn: {time.monotonic() - started:.1f}s")
    return network


class SqliteDatabase:
    kind = "sqlite"

    def __init__(self, bench_dir: Path, spec: DataSpec) -> None:
        self.spec = spec
        self.cache = bench_dir / "cache" / f"{spec.name}-{spec.key}.sqlite3"
        self.run_dir = bench_dir / f"run-{spec.name}"
        self.build_dir = bench_dir / f"build-{spec.name}"

    @property
    def run_path(self) -> Path:
        return self.run_dir / "staffroom.sqlite3"

    def env(self) -> dict[str, str]:
        return django_env(STAFFROOM_DATA_DIR=str(self.run_dir))

    def is_cached(self) -> bool:
        return self.cache.exists()

    def build(self, domain: str, log: Log) -> None:
        shutil.rmtree(self.build_dir, ignore_errors=True)
        self.build_dir.mkdir(parents=True)
        migrate(django_env(STAFFROOM_DATA_DIR=str(self.build_dir)), log)
        path = self.build_dir / "staffroom.sqlite3"
        conn = sqlite3.connect(path, isolation_level=None)
        try:
            conn.executescript("PRAGMA journal_mode=DELETE; PRAGMA synchronous=OFF;")
            conn.execute("PRAGMA foreign_keys=OFF")
            conn.execute("BEGIN")
            saved = self._drop_indexes(conn, self.spec.big_tables)
            self.spec.load(self._writer(conn), domain, log)
            started = time.monotonic()
            for sql in saved:
                conn.execute(sql)
            conn.execute("COMMIT")
            conn.execute("ANALYZE")
            log(f"  indexes and ANALYZE: {time.monotonic() - started:.1f}s")
        finally:
            conn.close()
        self.cache.parent.mkdir(parents=True, exist_ok=True)
        for stale in self.cache.parent.glob(f"{self.spec.name}-*.sqlite3"):
            stale.unlink()
        path.replace(self.cache)
        shutil.rmtree(self.build_dir, ignore_errors=True)

    @staticmethod
    def _drop_indexes(conn: sqlite3.Connection, tables: tuple[str, ...]) -> list[str]:
        marks = ",".join("?" * len(tables))
        found = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"  # noqa: S608 - placeholders only
            f" AND tbl_name IN ({marks})",
            tables,
        ).fetchall()
        for name, _sql in found:
            conn.execute(f'DROP INDEX "{name}"')
        return [sql for _name, sql in found]

    @staticmethod
    def _writer(conn: sqlite3.Connection) -> Writer:
        def write(table: str, columns: Sequence[str], rows: Iterable[Row], constants: Row) -> None:
            names = ", ".join(f'"{column}"' for column in columns)
            marks = ", ".join("?" * len(columns))
            sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'  # noqa: S608 - model names
            for batch in chunks(adapted_rows(rows, constants, sqlite_value)):
                conn.executemany(sql, batch)

        return write

    def prepare_run(self, log: Log) -> None:
        started = time.monotonic()
        shutil.rmtree(self.run_dir, ignore_errors=True)
        self.run_dir.mkdir(parents=True)
        shutil.copyfile(self.cache, self.run_path)
        log(f"  copied the cached database: {time.monotonic() - started:.1f}s")

    def connect_sql(self) -> Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]:
        conn = sqlite3.connect(self.run_path, timeout=20, isolation_level=None)

        def query(sql: str, args: Sequence[Any]) -> list[tuple[Any, ...]]:
            return conn.execute(sql.replace("%s", "?"), args).fetchall()

        return query

    def drop_run(self) -> None:
        shutil.rmtree(self.run_dir, ignore_errors=True)


class PostgresDatabase:
    kind = "postgres"

    def __init__(
        self, server_url: str, spec: DataSpec, bench_dir: Path, *, run_db: str = RUN_DB
    ) -> None:
        self.server_url = server_url.rstrip("/")
        self.spec = spec
        self.cache_name = f"{CACHE_PREFIX}{spec.name.replace('-', '_')}_"
        self.cache_db = self.cache_name + spec.key
        # Each benchmark may name its own databases, so two benchmarks can share a server.
        self.run_db = run_db
        self.build_db = "staffroom_bench_build" + run_db.removeprefix(RUN_DB)
        self.data_dir = bench_dir / f"run-postgres-{spec.name}"

    def url(self, name: str) -> str:
        return f"{self.server_url}/{name}"

    def env(self) -> dict[str, str]:
        return {
            **django_env(STAFFROOM_DATA_DIR=str(self.data_dir)),
            "DATABASE_URL": self.url(self.run_db),
        }

    def _admin(self, *statements: str) -> list[tuple[Any, ...]]:
        import psycopg

        rows: list[tuple[Any, ...]] = []
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            for sql in statements:
                cursor = conn.execute(sql)
                if cursor.description:
                    rows = cursor.fetchall()
        return rows

    def is_cached(self) -> bool:
        found = self._admin(f"SELECT 1 FROM pg_database WHERE datname = '{self.cache_db}'")  # noqa: S608 - our hex name
        return bool(found)

    def build(self, domain: str, log: Log) -> None:
        import psycopg

        self._admin(
            f'DROP DATABASE IF EXISTS "{self.build_db}" WITH (FORCE)',
            f'CREATE DATABASE "{self.build_db}"',
        )
        self.data_dir.mkdir(parents=True, exist_ok=True)
        env = {**django_env(STAFFROOM_DATA_DIR=str(self.data_dir))}
        env["DATABASE_URL"] = self.url(self.build_db)
        migrate(env, log)
        with psycopg.connect(self.url(self.build_db)) as conn:
            conn.execute("SET session_replication_role = replica")  # no FK triggers
            saved = self._drop_indexes(conn, self.spec.big_tables)
            self.spec.load(self._writer(conn), domain, log)
            started = time.monotonic()
            conn.execute("SET maintenance_work_mem = '1GB'")
            for sql in saved:
                conn.execute(sql)
            conn.commit()
            log(f"  indexes: {time.monotonic() - started:.1f}s")
        with psycopg.connect(self.url(self.build_db), autocommit=True) as conn:
            started = time.monotonic()
            conn.execute("VACUUM ANALYZE")
            log(f"  VACUUM ANALYZE: {time.monotonic() - started:.1f}s")
        caches = self._admin(
            f"SELECT datname FROM pg_database WHERE datname LIKE '{CACHE_PREFIX}%'"  # noqa: S608 - a constant
        )
        stale = [name for (name,) in caches if name.startswith(self.cache_name)]
        self._admin(
            *(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in stale),
            f'ALTER DATABASE "{self.build_db}" RENAME TO "{self.cache_db}"',
        )

    @staticmethod
    def _drop_indexes(conn: Any, tables: tuple[str, ...]) -> list[str]:
        found = conn.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = 'public'"
            " AND i.tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c"
            " WHERE c.conname = i.indexname)",
            [list(tables)],
        ).fetchall()
        for name, _sql in found:
            conn.execute(f'DROP INDEX "{name}"')
        return [sql for _name, sql in found]

    @staticmethod
    def _writer(conn: Any) -> Writer:
        def write(table: str, columns: Sequence[str], rows: Iterable[Row], constants: Row) -> None:
            names = ", ".join(f'"{column}"' for column in columns)
            with conn.cursor().copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in adapted_rows(rows, constants, postgres_value):
                    copy.write_row(row)
            if table == "accounts_user":  # the identity continues after our ids
                conn.execute(
                    "SELECT setval(pg_get_serial_sequence('accounts_user', 'id'),"
                    " (SELECT MAX(id) FROM accounts_user))"
                )

        return write

    def prepare_run(self, log: Log) -> None:
        started = time.monotonic()
        self._admin(
            f'DROP DATABASE IF EXISTS "{self.run_db}" WITH (FORCE)',
            f'CREATE DATABASE "{self.run_db}" TEMPLATE "{self.cache_db}"',
        )
        log(f"  copied the cached database: {time.monotonic() - started:.1f}s")

    def connect_sql(self) -> Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]:
        import psycopg

        conn = psycopg.connect(self.url(self.run_db), autocommit=True)

        def query(sql: str, args: Sequence[Any]) -> list[tuple[Any, ...]]:
            return conn.execute(sql, args).fetchall()

        return query

    def drop_run(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.run_db}" WITH (FORCE)')
