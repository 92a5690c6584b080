"""`staffroom backup`: one archive with the database, media files and secret key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from staffroom.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write a backup archive (tar.gz, owner-only) of the database, media files and secret "
        "key. Prints the archive's path. Safe while the server runs."
    )
    # A backup must work even when a system check fails (say, right after an upgrade).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="Archive file or folder (default: DATA_DIR/backups/staffroom-backup-<time>).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            archive = create_backup(options["output"])
        except BackupError as error:
            raise CommandError(error.message) from error
        self.stderr.write(
            self.style.SUCCESS(
                "Backup written (keep it private: it holds the "
                "secret key and every account's data)."
            )
        )
        self.stdout.write(str(archive))
