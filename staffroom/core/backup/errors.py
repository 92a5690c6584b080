"""The one exception the backup package raises."""

from __future__ import annotations

from staffroom.core.exceptions import DomainError


class BackupError(DomainError):
    """A backup or restore could not go ahead; `message` says why, in words for the admin.

    Raised before anything is changed wherever that is possible: the restore validates the
    whole archive and the target before it replaces a single file.
    """
