"""PostgreSQL: pg_dump from one exported snapshot, pg_restore in one transaction.

Connection parameters travel in PG* environment variables, so the password never appears
on a command line (where `ps` would show it to every user of the machine).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection, connections, transaction

from staffroom.core.backup.errors import BackupError
from staffroom.core.backup.manifest import DatabaseState
from staffroom.core.backup.state import read_state

SETTING_VARIABLES = {
    "NAME": "PGDATABASE",
    "USER": "PGUSER",
    "PASSWORD": "PGPASSWORD",
    "HOST": "PGHOST",
    "PORT": "PGPORT",
}
OPTION_VARIABLES = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}
# An empty connection URI: libpq takes every parameter from the PG* variables.
FROM_ENVIRONMENT = "--dbname=postgresql://"
TIMEOUT_SECONDS = 60 * 60


def pg_environment() -> dict[str, str]:
    """The process environment plus PG* variables from settings.DATABASES['default']."""
    database = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, variable in SETTING_VARIABLES.items():
        if database.get(key):
            env[variable] = str(database[key])
    options = database.get("OPTIONS", {})
    for key, variable in OPTION_VARIABLES.items():
        if options.get(key):
            env[variable] = str(options[key])
    env["PGAPPNAME"] = "staffroom-backup"
    return env


def _run(args: list[str]) -> None:
    """Run a PostgreSQL client tool; raises BackupError with its own words when it fails."""
    try:
        result = subprocess.run(  # noqa: S603 - fixed program, arguments we built
            args, env=pg_environment(), capture_output=True, text=True, timeout=TIMEOUT_SECONDS
        )
    except FileNotFoundError as error:
        raise BackupError(
            f"{args[0]} was not found. Install the PostgreSQL client tools of the same major "
            f"version as the server (Debian: apt install postgresql-client)."
        ) from error
    except subprocess.TimeoutExpired as error:
        raise BackupError(f"{args[0]} did not finish within {TIMEOUT_SECONDS} s.") from error
    if result.returncode != 0:
        detail = result.stderr.strip()[-2000:] or f"exit status {result.returncode}"
        raise BackupError(f"{args[0]} failed: {detail}")


def pg_snapshot(dest: Path) -> DatabaseState:
    """Dump the database to `dest` (custom format) and count rows, both from one snapshot.

    A REPEATABLE READ transaction exports its snapshot to pg_dump (`--snapshot`), so the
    manifest's row counts describe exactly the data in the dump.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = str(cursor.fetchone()[0])
        state = read_state(cursor, connection.introspection.table_names(cursor))
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={dest}",
            ]
        )
    return state


def pg_current_state() -> DatabaseState:
    """Row counts and migrations of the configured database as it is now."""
    with connection.cursor() as cursor:
        return read_state(cursor, connection.introspection.table_names(cursor))


def pg_verify(dump: Path) -> None:
    """Check that pg_restore can read the dump (its table of contents) before changing anything."""
    _run(["pg_restore", "--list", str(dump)])


def pg_install(dump: Path) -> None:
    """Restore the dump into the configured database in a single transaction.

    `--clean --if-exists` drops the objects the dump holds before recreating them; objects
    that exist only in the target stay. On any error nothing is committed.
    """
    connections.close_all()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            FROM_ENVIRONMENT,
            str(dump),
        ]
    )
    connections.close_all()
