"""Export services: ask for an archive, build it (in a job), and prune expired ones.

Archives live in a private folder, `DATA_DIR/exports`, which no URL serves: the only way
out is the download view, for the signed-in owner.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staffroom.core.exceptions import Conflict, NotFound, RateLimited
from staffroom.core.jobs import enqueue
from staffroom.leaving.export import archive_build
from staffroom.leaving.models import ExportRequest, ExportState

if TYPE_CHECKING:
    from staffroom.accounts.models import User

logger = logging.getLogger(__name__)

EXPORT_KEEP = timedelta(days=7)
EXPORTS_PER_DAY = 3
# A build running longer than this is taken to be lost (its worker died) by the pruner.
EXPORT_STUCK_AFTER = timedelta(hours=6)


def exports_dir() -> Path:
    """The private folder holding archives (created on first use, owner-only)."""
    folder = Path(settings.DATA_DIR) / "exports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def export_path(export: ExportRequest) -> Path | None:
    """The archive file of `export`, or None when it has none (yet, or any more)."""
    if not export.file_name:
        return None
    return exports_dir() / export.file_name


def export_request(*, user: User) -> ExportRequest:
    """Ask for a new archive of everything `user` has; the build job is enqueued.

    Raises Conflict while another export of theirs is pending or running, and RateLimited
    after EXPORTS_PER_DAY requests in 24 hours. Writes the row and the job in one
    transaction.
    """
    now = timezone.now()
    with transaction.atomic():
        mine = ExportRequest.objects.select_for_update().filter(user=user)
        if mine.filter(state__in=[ExportState.PENDING, ExportState.RUNNING]).exists():
            raise Conflict(_("An export is already being prepared. Please wait until it is ready."))
        recent = mine.filter(created_at__gt=now - timedelta(days=1)).order_by("created_at")
        if recent.count() >= EXPORTS_PER_DAY:
            first = recent.first()
            retry_at = (first.created_at if first else now) + timedelta(days=1)
            raise RateLimited(
                _("You can ask for %(count)d exports a day. Please try again later.")
                % {"count": EXPORTS_PER_DAY},
                retry_after=max(1, int((retry_at - now).total_seconds())),
            )
        try:
            with transaction.atomic():
                export = ExportRequest.objects.create(user=user, created_at=now)
        except IntegrityError as error:  # a concurrent request won the race
            raise Conflict(_("An export is already being prepared.")) from error
        from staffroom.leaving.tasks import export_build_task

        enqueue(export_build_task, export_id=export.pk)
    return export


def export_build(*, export_id: int) -> None:
    """Build the archive of one export request (the job's body); idempotent.

    Claims the row (pending → running) with a conditional UPDATE; a row that is ready,
    failed, expired or gone is left alone. A running row (a previous attempt died) is built
    again from scratch. On success the row becomes ready with its file, size and expiry.
    Exceptions propagate so the job retries; the last attempt marks it failed (see tasks).
    """
    claimed = ExportRequest.objects.filter(
        pk=export_id, state__in=[ExportState.PENDING, ExportState.RUNNING]
    ).update(state=ExportState.RUNNING, started_at=timezone.now())
    if not claimed:
        return
    export = ExportRequest.objects.select_related("user").get(pk=export_id)
    # One name per row: a rebuild after a crash overwrites, never leaves an orphan.
    name = f"export-{export.pk}.zip"
    target = exports_dir() / name
    size = archive_build(export.user, target)
    finished = timezone.now()
    updated = ExportRequest.objects.filter(pk=export_id, state=ExportState.RUNNING).update(
        state=ExportState.READY,
        file_name=name,
        size=size,
        finished_at=finished,
        expires_at=finished + EXPORT_KEEP,
    )
    if not updated:  # the row changed under us (account deleted): keep no orphan file
        target.unlink(missing_ok=True)


def export_fail(*, export_id: int, reason: str) -> None:
    """Mark an unfinished export failed (after its job's last attempt)."""
    ExportRequest.objects.filter(
        pk=export_id, state__in=[ExportState.PENDING, ExportState.RUNNING]
    ).update(state=ExportState.FAILED, finished_at=timezone.now(), error=reason[:500])


def export_get_for_download(*, user: User, export_id: int) -> tuple[ExportRequest, Path]:
    """The ready export `export_id` of `user` and its file.

    Raises NotFound for someone else's export, an unfinished or expired one, or a missing
    file: an id alone reveals nothing (SECURITY-PLAN A-7).
    """
    export = ExportRequest.objects.filter(
        pk=export_id, user=user, state=ExportState.READY, expires_at__gt=timezone.now()
    ).first()
    path = export_path(export) if export else None
    if export is None or path is None or not path.is_file():
        raise NotFound(_("No such export."))
    return export, path


def exports_prune() -> int:
    """Delete the files of expired archives and give up on stuck builds; return how many.

    Expired rows stay (state `expired`, no file) so the rate limit still counts them;
    they go with the account.
    """
    now = timezone.now()
    pruned = 0
    expired = ExportRequest.objects.filter(state=ExportState.READY, expires_at__lte=now)
    for export in list(expired[:500]):
        path = export_path(export)
        if path is not None:
            path.unlink(missing_ok=True)
        pruned += ExportRequest.objects.filter(pk=export.pk, state=ExportState.READY).update(
            state=ExportState.EXPIRED, file_name=""
        )
    stuck = ExportRequest.objects.filter(
        state=ExportState.RUNNING, started_at__lt=now - EXPORT_STUCK_AFTER
    )
    pruned += stuck.update(state=ExportState.FAILED, finished_at=now, error="Timed out.")
    # Half-written archives of builds whose worker died.
    cutoff = time.time() - EXPORT_STUCK_AFTER.total_seconds()
    for partial in exports_dir().glob("*.partial"):
        if partial.stat().st_mtime < cutoff:
            partial.unlink(missing_ok=True)
    return pruned


def export_files_delete(*, user_id: int) -> int:
    """Delete every archive file and export row of a user (account deletion); idempotent."""
    exports = list(ExportRequest.objects.filter(user_id=user_id))
    for export in exports:
        path = export_path(export)
        if path is not None:
            path.unlink(missing_ok=True)
    ExportRequest.objects.filter(user_id=user_id).delete()
    if exports:
        logger.info("Deleted %s exports of user %s", len(exports), user_id)
    return len(exports)
