"""The suggestions benchmark's SQLite database: built once per network and schema with the
feeds' bulk loader (`bench/databases.py`), cached as
`<bench dir>/cache/suggestions-<teachers>-<key>.sqlite3`, copied fresh for each run."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import time
from pathlib import Path

from bench.databases import ROOT, Log, SqliteDatabase, django_env, migrate
from bench.suggestions_network import SuggestionParams, generate

# Secondary indexes dropped while these are loaded, rebuilt after.
LOADED_TABLES = ("graph_follow", "profiles_profileterm", "posts_status")
SOURCES = ("network.py", "rows.py", "suggestions_network.py", "suggestions_rows.py")


def cache_key(params: SuggestionParams) -> str:
    """Network parameters, every migration and the generator's source."""
    digest = hashlib.sha256(params.key().encode())
    sources = sorted(ROOT.glob("staffroom/*/migrations/*.py"))
    sources += [ROOT / "bench" / name for name in SOURCES]
    for path in sources:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class SuggestionsDatabase(SqliteDatabase):
    def __init__(self, bench_dir: Path, params: SuggestionParams) -> None:
        self.suggestion_params = params
        prefix = f"suggestions-{params.teachers}-"
        self.prefix = prefix
        self.cache = bench_dir / "cache" / f"{prefix}{cache_key(params)}.sqlite3"
        self.run_dir = bench_dir / f"run-suggestions-{params.teachers}"
        self.build_dir = bench_dir / f"build-suggestions-{params.teachers}"

    def build(self, domain: str, log: Log) -> None:
        from bench.suggestions_rows import SuggestionRows

        shutil.rmtree(self.build_dir, ignore_errors=True)
        self.build_dir.mkdir(parents=True)
        migrate(django_env(STAFFROOM_DATA_DIR=str(self.build_dir)), log)
        started = time.monotonic()
        data = generate(self.suggestion_params)
        log(f"  network drawn: {time.monotonic() - started:.1f}s")
        path = self.build_dir / "staffroom.sqlite3"
        conn = sqlite3.connect(path, isolation_level=None)
        try:
            conn.executescript("PRAGMA journal_mode=DELETE; PRAGMA synchronous=OFF;")
            conn.execute("PRAGMA foreign_keys=OFF")
            conn.execute("BEGIN")
            saved = _drop_indexes(conn)
            SuggestionRows(data, domain=domain).write(self._writer(conn), log)
            started = time.monotonic()
            for sql in saved:
                conn.execute(sql)
            conn.execute("COMMIT")
            conn.execute("ANALYZE")
            log(f"  indexes and ANALYZE: {time.monotonic() - started:.1f}s")
        finally:
            conn.close()
        self.cache.parent.mkdir(parents=True, exist_ok=True)
        for stale in self.cache.parent.glob(f"{self.prefix}*.sqlite3"):
            stale.unlink()
        path.replace(self.cache)
        shutil.rmtree(self.build_dir, ignore_errors=True)


def _drop_indexes(conn: sqlite3.Connection) -> list[str]:
    marks = ",".join("?" * len(LOADED_TABLES))
    found = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"  # noqa: S608 - placeholders only
        f" AND tbl_name IN ({marks})",
        LOADED_TABLES,
    ).fetchall()
    for name, _sql in found:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in found]
