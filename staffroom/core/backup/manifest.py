"""`manifest.json`: what an archive holds, and the checks a restore makes against it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from django.apps import apps
from django.db.migrations.loader import MigrationLoader

from staffroom.core.backup.errors import BackupError

FORMAT = "staffroom-backup"
FORMAT_VERSION = 1
SUPPORTED_FORMAT_VERSIONS = frozenset({1})
MANIFEST_NAME = "manifest.json"
KEY_FILE_NAME = "secret_key"
MEDIA_DIR = "media"
DATABASE_DIR = "database"
DATABASE_MEMBERS = {
    "sqlite": f"{DATABASE_DIR}/staffroom.sqlite3",
    "postgresql": f"{DATABASE_DIR}/staffroom.pgdump",
}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass(frozen=True)
class DatabaseState:
    """Row counts per table and applied migrations per app, read from one snapshot."""

    row_counts: dict[str, int]
    migrations: dict[str, list[str]]


@dataclass(frozen=True)
class Manifest:
    """The archive's table of contents; `files` maps each member to its sha256."""

    staffroom_version: str
    database_vendor: str
    created_at: str
    domain: str
    migrations: dict[str, list[str]]
    row_counts: dict[str, int]
    files: dict[str, str] = field(default_factory=dict)
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    @property
    def database_member(self) -> str:
        return DATABASE_MEMBERS[self.database_vendor]

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=2, sort_keys=True).encode() + b"\n"

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        """Parse and check a manifest; raises BackupError when it is not one we can use."""
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise BackupError(f"{MANIFEST_NAME} in the archive is not valid JSON.") from error
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise BackupError("This archive is not a Staffroom backup (unknown manifest format).")
        if data.get("format_version") not in SUPPORTED_FORMAT_VERSIONS:
            raise BackupError(
                f"This backup uses format version {data.get('format_version')!r}, which this "
                f"version of Staffroom cannot read. Upgrade Staffroom, then restore."
            )
        try:
            manifest = cls(**{item.name: data[item.name] for item in fields(cls)})
        except KeyError as error:
            raise BackupError(f"{MANIFEST_NAME} lacks the field {error.args[0]!r}.") from error
        _check_types(manifest)
        return manifest


def _check_types(manifest: Manifest) -> None:
    checks: list[tuple[str, Any, type]] = [
        ("database_vendor", manifest.database_vendor, str),
        ("staffroom_version", manifest.staffroom_version, str),
        ("created_at", manifest.created_at, str),
        ("domain", manifest.domain, str),
        ("migrations", manifest.migrations, dict),
        ("row_counts", manifest.row_counts, dict),
        ("files", manifest.files, dict),
    ]
    for name, value, expected in checks:
        if not isinstance(value, expected):
            raise BackupError(f"{MANIFEST_NAME} has a malformed {name!r} field.")
    lists = manifest.migrations.values()
    if not all(isinstance(names, list) for names in lists):
        raise BackupError(f"{MANIFEST_NAME} has a malformed 'migrations' field.")
    if manifest.database_vendor not in DATABASE_MEMBERS:
        raise BackupError(
            f"The backup holds a {manifest.database_vendor!r} database, which Staffroom "
            f"cannot restore."
        )


@dataclass(frozen=True)
class MigrationDrift:
    """How the migrations recorded in a backup differ from the code installed here."""

    missing: list[str]  # in the code, not yet applied to the backed-up data
    unknown: list[str]  # applied to the data, unknown to this code (a newer version)

    @property
    def matches(self) -> bool:
        return not self.missing and not self.unknown


def migration_drift(applied: dict[str, list[str]]) -> MigrationDrift:
    """Compare applied migrations (app label to names) with the migration files on disk.

    Only installed apps count: a backup from an instance with an extra app is not "newer".
    """
    loader = MigrationLoader(None, ignore_no_migrations=True)
    installed = {config.label for config in apps.get_app_configs()}
    known = {key for key in loader.disk_migrations if key[0] in installed}
    recorded = {(app, name) for app, names in applied.items() for name in names}
    recorded = {key for key in recorded if key[0] in installed}
    return MigrationDrift(
        missing=[f"{app}.{name}" for app, name in sorted(known - recorded)],
        unknown=[f"{app}.{name}" for app, name in sorted(recorded - known)],
    )
