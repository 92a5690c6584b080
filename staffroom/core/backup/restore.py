"""`restore_backup`: check everything first, then replace the database, media and key."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import Error as DjangoDatabaseError

import staffroom
from staffroom.core.backup.archive import extract_archive
from staffroom.core.backup.create import current_vendor
from staffroom.core.backup.errors import BackupError
from staffroom.core.backup.files import SecretKeyOutcome, install_media, install_secret_key
from staffroom.core.backup.manifest import (
    KEY_FILE_NAME,
    MEDIA_DIR,
    VENDOR_NAMES,
    DatabaseState,
    Manifest,
    MigrationDrift,
    migration_drift,
)
from staffroom.core.backup.postgres import pg_current_state, pg_install, pg_verify
from staffroom.core.backup.sqlite import (
    sqlite_current_state,
    sqlite_install,
    sqlite_path,
    sqlite_verify,
)
from staffroom.core.backup.state import count_mismatches, describe_data


@dataclass
class RestoreReport:
    """What a restore did, and what the administrator should do next (`warnings`)."""

    manifest: Manifest
    media_files: int
    secret_key: SecretKeyOutcome
    drift: MigrationDrift
    warnings: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(self.manifest.row_counts.values())


def restore_backup(archive: Path, *, force: bool) -> RestoreReport:
    """Restore an archive made by `create_backup` into this server's data.

    Everything is checked before anything changes: the archive (members, checksums, format),
    the database vendor, the database copy itself, and, unless `force`, that the target
    database holds no data. Then the database, the media folder and the secret key are
    replaced. Stop the server (and workers) first. Raises BackupError.
    """
    data_dir = Path(settings.DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=data_dir, prefix=".restore-"))
    try:
        manifest = extract_archive(archive, staging)
        vendor = _check_vendor(manifest)
        database = staging / manifest.database_member
        _verify_database(vendor, database, manifest)
        if not force:
            _refuse_if_in_use(vendor)
        warnings = _install_database(vendor, database, manifest)
        media = install_media(staging / MEDIA_DIR, Path(settings.MEDIA_ROOT))
        secret = install_secret_key(staging / KEY_FILE_NAME, data_dir)
    except OSError as error:
        raise BackupError(f"The restore failed: {error}") from error
    except DjangoDatabaseError as error:
        raise BackupError(f"The restore failed: the database reported: {error}") from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    drift = migration_drift(manifest.migrations)
    report = RestoreReport(manifest, media, secret, drift, warnings)
    report.warnings += _advice(report)
    return report


def _check_vendor(manifest: Manifest) -> str:
    vendor = current_vendor()
    if manifest.database_vendor != vendor:
        raise BackupError(
            f"This backup holds a {VENDOR_NAMES[manifest.database_vendor]} database, but this "
            f"server is configured for {VENDOR_NAMES[vendor]} (check DATABASE_URL). Restore it "
            f"on a server with the same kind of database."
        )
    return vendor


def _verify_database(vendor: str, database: Path, manifest: Manifest) -> None:
    match vendor:
        case "sqlite":
            state = sqlite_verify(database)
            if mismatches := count_mismatches(manifest.row_counts, state.row_counts):
                raise BackupError(
                    "The database in the archive does not match its manifest: " + mismatches[0]
                )
        case _:
            pg_verify(database)


def _refuse_if_in_use(vendor: str) -> None:
    state: DatabaseState
    match vendor:
        case "sqlite":
            state, where = sqlite_current_state(), str(sqlite_path())
        case _:
            state, where = pg_current_state(), str(settings.DATABASES["default"]["NAME"])
    if in_use := describe_data(state):
        raise BackupError(
            f"The target database {where} already holds data ({in_use}). A restore would "
            f"replace all of it; run again with --force if that is what you want."
        )


def _install_database(vendor: str, database: Path, manifest: Manifest) -> list[str]:
    match vendor:
        case "sqlite":
            sqlite_install(database)
            return []
        case _:
            pg_install(database)
            mismatches = count_mismatches(manifest.row_counts, pg_current_state().row_counts)
            return [f"Row count differs from the backup: {line}" for line in mismatches]


def _advice(report: RestoreReport) -> list[str]:
    manifest, advice = report.manifest, []
    if report.drift.missing:
        advice.append(
            f"The restored database is behind this version of Staffroom "
            f"({_versions(manifest)}): {len(report.drift.missing)} migrations are not applied "
            f"yet ({report.drift.missing[0]}, ...). Run `staffroom migrate` before starting "
            f"the server."
        )
    if report.drift.unknown:
        advice.append(
            f"The backup was made by a newer Staffroom ({_versions(manifest)}): its "
            f"data has migrations this version does not know ({report.drift.unknown[0]}, ...). "
            f"Upgrade Staffroom to that version before starting the server."
        )
    if manifest.domain != settings.STAFFROOM_DOMAIN:
        advice.append(
            f"The backup was made for STAFFROOM_DOMAIN={manifest.domain}, but this server is "
            f"set to {settings.STAFFROOM_DOMAIN}. Set STAFFROOM_DOMAIN={manifest.domain}: the "
            f"domain is part of every profile and post address and must not change."
        )
    if report.secret_key is SecretKeyOutcome.KEPT_ENVIRONMENT:
        advice.append(
            "SECRET_KEY is set in the environment, so the backup's key was not installed. "
            "Use the old server's SECRET_KEY, or sessions and signed links stop working."
        )
    return advice


def _versions(manifest: Manifest) -> str:
    return f"backup made by {manifest.staffroom_version}, this is {staffroom.__version__}"
