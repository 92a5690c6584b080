"""`staffroom restore ARCHIVE`: put a backup back (stop the server first)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from staffroom.core.backup import BackupError, RestoreReport, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `staffroom backup`: the database, media files and secret "
        "key. Stop the server and workers first."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="The .tar.gz file to restore.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that already holds data.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = restore_backup(options["archive"], force=options["force"])
        except BackupError as error:
            raise CommandError(error.message) from error
        self._print(report)

    def _print(self, report: RestoreReport) -> None:
        manifest = report.manifest
        self.stdout.write(
            f"Restored the backup of {manifest.domain} made {manifest.created_at} "
            f"(Staffroom {manifest.staffroom_version}, {manifest.database_vendor})."
        )
        self.stdout.write(
            f"  database: {len(manifest.row_counts)} tables, {report.rows} rows\n"
            f"  media: {report.media_files} files\n"
            f"  secret key: {report.secret_key}"
        )
        if report.drift.matches:
            self.stdout.write("Migrations match this version of Staffroom.")
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"Warning: {warning}"))
