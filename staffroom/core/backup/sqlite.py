"""SQLite: a consistent copy of the live file, and a checked, atomic swap on restore."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from django.conf import settings
from django.db import connections

from staffroom.core.backup.errors import BackupError
from staffroom.core.backup.files import replace_file
from staffroom.core.backup.manifest import DatabaseState
from staffroom.core.backup.state import read_state

# A leftover journal of the old file would be replayed into the restored one.
SIDE_FILE_SUFFIXES = ("-wal", "-shm", "-journal")


def sqlite_path() -> Path:
    """The database file Django uses (SQLITE_PATH unless DATABASE_URL names another)."""
    name = str(settings.DATABASES["default"]["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise BackupError(f"The SQLite database {name!r} is not a file that can be backed up.")
    return Path(name)


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    """Open an existing file only (`mode=ro` or `rw`): never create an empty database."""
    return sqlite3.connect(
        f"{path.resolve().as_uri()}?mode={mode}", uri=True, timeout=settings.SQLITE_TIMEOUT_SECONDS
    )


def _state(db: sqlite3.Connection) -> DatabaseState:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    tables = [name for (name,) in rows if not name.startswith("sqlite_")]
    return read_state(db.cursor(), tables)


def sqlite_snapshot(dest: Path) -> DatabaseState:
    """Copy the live database into `dest` with SQLite's online backup API.

    The copy is one consistent snapshot even while the server writes (WAL readers never
    block the writer). Raises BackupError when there is no database or it cannot be read.
    """
    source = sqlite_path()
    if not source.is_file():
        raise BackupError(
            f"There is no database at {source} yet, so there is nothing to back up "
            f"(run `staffroom migrate` first)."
        )
    try:
        src, dst = _connect(source, "rw"), sqlite3.connect(dest)
        try:
            src.backup(dst)
            # One self-contained file in the archive; the server turns WAL back on.
            dst.execute("PRAGMA journal_mode=DELETE")
            return _state(dst)
        finally:
            src.close()
            dst.close()
    except sqlite3.Error as error:
        raise BackupError(f"Could not copy the database {source}: {error}") from error


def sqlite_verify(staged: Path) -> DatabaseState:
    """Run `PRAGMA integrity_check` on the unpacked copy; raises BackupError if it fails."""
    try:
        db = _connect(staged, "ro")
        try:
            result = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]
            if result != ["ok"]:
                raise BackupError(
                    "The database in the archive fails SQLite's integrity check: "
                    + "; ".join(str(line) for line in result[:5])
                )
            return _state(db)
        finally:
            db.close()
    except sqlite3.Error as error:
        raise BackupError(f"The database in the archive cannot be read: {error}") from error


def sqlite_current_state() -> DatabaseState:
    """What the target database holds now (nothing at all when the file does not exist)."""
    path = sqlite_path()
    if not path.is_file():
        return DatabaseState(row_counts={}, migrations={})
    try:
        # Read-write (though we only read), so closing the last connection tidies the
        # -wal/-shm files away instead of leaving them behind.
        db = _connect(path, "rw")
        try:
            return _state(db)
        finally:
            db.close()
    except sqlite3.Error as error:
        raise BackupError(f"Could not read the current database {path}: {error}") from error


def sqlite_install(staged: Path) -> None:
    """Atomically put the verified copy in place of the database file.

    Closes Django's connections and removes the old file's -wal/-shm/-journal first. The
    server must be stopped: a running process would keep writing to the replaced file.
    """
    target = sqlite_path()
    connections.close_all()
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in SIDE_FILE_SUFFIXES:
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    replace_file(staged, target)
