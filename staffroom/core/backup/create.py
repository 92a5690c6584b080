"""`create_backup`: one archive with the database, the media folder and the secret key."""

from __future__ import annotations

import os
import tarfile
import tempfile
import zlib
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import Error as DjangoDatabaseError
from django.db import connection
from django.utils import timezone

import staffroom
from staffroom.core.backup.archive import write_archive
from staffroom.core.backup.errors import BackupError
from staffroom.core.backup.manifest import (
    DATABASE_MEMBERS,
    KEY_FILE_NAME,
    MANIFEST_NAME,
    MEDIA_DIR,
    DatabaseState,
    Manifest,
)
from staffroom.core.backup.postgres import pg_snapshot
from staffroom.core.backup.sqlite import sqlite_snapshot


def current_vendor() -> str:
    """'sqlite' or 'postgresql'; raises BackupError for any other database."""
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backups support SQLite and PostgreSQL; this server uses {vendor}.")
    return vendor


def default_backup_path() -> Path:
    """DATA_DIR/backups/staffroom-backup-YYYYmmdd-HHMMSS.tar.gz (UTC)."""
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / "backups" / f"staffroom-backup-{stamp}.tar.gz"


def _output_path(output: Path | None) -> Path:
    if output is None:
        output = default_backup_path()
    elif output.is_dir():
        output = output / default_backup_path().name
    output = output.absolute()
    # Owner-only: the folder will hold copies of the database and the secret key.
    output.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return output


def _dump_database(vendor: str, dest: Path) -> DatabaseState:
    match vendor:
        case "sqlite":
            return sqlite_snapshot(dest)
        case _:
            return pg_snapshot(dest)


def create_backup(output: Path | None = None) -> Path:
    """Write a backup archive (tar.gz, mode 0600) and return its path.

    `output` may be a file path or an existing folder; by default the archive goes to
    DATA_DIR/backups. The database is copied from one consistent snapshot, so the server may
    keep running. Media files that change while they are read make the backup fail.
    Raises BackupError (with nothing left behind) when any step fails.
    """
    vendor = current_vendor()
    target = _output_path(output)
    data_dir = Path(settings.DATA_DIR)
    try:
        with tempfile.TemporaryDirectory(dir=data_dir, prefix=".backup-") as scratch:
            dump = Path(scratch) / PurePosixPath(DATABASE_MEMBERS[vendor]).name
            state = _dump_database(vendor, dump)
            with write_archive(target) as writer:
                writer.add_file(DATABASE_MEMBERS[vendor], dump)
                writer.add_tree(MEDIA_DIR, Path(settings.MEDIA_ROOT))
                if (data_dir / KEY_FILE_NAME).is_file():
                    writer.add_file(KEY_FILE_NAME, data_dir / KEY_FILE_NAME)
                manifest = _manifest(vendor, state, writer.hashes)
                writer.add_bytes(MANIFEST_NAME, manifest.to_json())
    except (OSError, tarfile.TarError, zlib.error) as error:
        raise BackupError(f"Could not write the backup {target}: {error}") from error
    except DjangoDatabaseError as error:
        raise BackupError(f"Could not read the database: {error}") from error
    os.chmod(target, 0o600)
    return target


def _manifest(vendor: str, state: DatabaseState, hashes: dict[str, str]) -> Manifest:
    return Manifest(
        staffroom_version=staffroom.__version__,
        database_vendor=vendor,
        created_at=timezone.now().isoformat(timespec="seconds"),
        domain=settings.STAFFROOM_DOMAIN,
        migrations=state.migrations,
        row_counts=state.row_counts,
        files=dict(sorted(hashes.items())),
    )
