"""Backing up and restoring an instance: database, media files and the secret key.

`create_backup` writes one tar.gz archive; `restore_backup` checks it and puts it back.
The `staffroom backup` and `staffroom restore` commands are thin wrappers; see
docs/admin/backup.md for the archive layout and the safety rules.
"""

from staffroom.core.backup.create import create_backup, default_backup_path
from staffroom.core.backup.errors import BackupError
from staffroom.core.backup.files import SecretKeyOutcome
from staffroom.core.backup.restore import RestoreReport, restore_backup

__all__ = [
    "BackupError",
    "RestoreReport",
    "SecretKeyOutcome",
    "create_backup",
    "default_backup_path",
    "restore_backup",
]
