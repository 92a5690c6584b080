"""Imports: store an uploaded file's rows, apply them in the background, retry later.

`import_create` checks and parses the file, stores the ImportJob and its rows and emits
ImportQueued in one transaction (the subscriber enqueues the job in it, so nothing is lost
or invented by a crash). `import_run` is the job's body: an overwrite first removes what the
file does not hold, then rows are applied in order, each in its own small transaction
together with its outcome; after ROWS_PER_RUN rows it queues the next batch, so a rerun
after a crash continues at the first row without an outcome.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from staffroom.core.events import ImportQueued, emit
from staffroom.core.exceptions import Conflict, DomainError, NotFound, ValidationFailed
from staffroom.core.models import Job, JobStatus
from staffroom.importing.apply import missing_remove, not_found_detail, row_apply
from staffroom.importing.models import (
    DETAIL_MAX_LENGTH,
    FILE_NAME_MAX_LENGTH,
    ImportJob,
    ImportMode,
    ImportRow,
    ImportState,
    ImportType,
    RowOutcome,
)
from staffroom.importing.parsing import Upload, parse_upload
from staffroom.profiles.models import Profile

logger = logging.getLogger(__name__)

ROWS_PER_RUN = 500
SECONDS_PER_RUN = 120.0
INSERT_BATCH = 1000
UNEXPECTED = gettext_lazy("Something went wrong with this row; it was skipped.")
IMPORT_STUCK_AFTER = timedelta(hours=6)
# The job that applies rows (importing.tasks.import_run_task), named here because the
# services may not import the jobs (pyproject.toml, "domain-no-interfaces").
IMPORT_TASK_PATH = "staffroom.importing.tasks.import_run_task"
BUSY = gettext_lazy("An import is already running. Please wait until it has finished.")


def _check_choice(value: str, choices: list[str], label: str) -> str:
    if value not in choices:
        raise ValidationFailed(
            _("Validation failed: %(label)s must be one of %(choices)s")
            % {"label": label, "choices": ", ".join(choices)}
        )
    return value


def import_create(*, actor: Profile, upload: Upload, kind: str, mode: str) -> ImportJob:
    """Store `upload` (a Mastodon CSV export of type `kind`) as an import for `actor`, to be
    applied in `mode` (merge or overwrite) by a background job.

    Raises ValidationFailed for an unknown type or mode and for a file that cannot be
    imported (parsing.parse_upload: not UTF-8, not CSV, empty, too many rows, another
    type's file), FileTooLarge (413) past the size limit, and Conflict while another import
    of the teacher's is unfinished. Writes the job, its rows and the wake-up in one
    transaction; broken rows are stored as failed, with their reason.
    """
    _check_choice(kind, list(ImportType.values), "type")
    _check_choice(mode, list(ImportMode.values), "mode")
    parsed = parse_upload(upload, kind)
    now = timezone.now()
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                owner=actor,
                type=kind,
                mode=mode,
                file_name=(upload.name or "")[:FILE_NAME_MAX_LENGTH],
                total_rows=len(parsed.rows),
            )
            ImportRow.objects.bulk_create(
                [
                    ImportRow(
                        job=job,
                        line=row.line,
                        data=row.data,
                        outcome=RowOutcome.FAILED if row.error else RowOutcome.PENDING,
                        detail=row.error[:DETAIL_MAX_LENGTH],
                        processed_at=now if row.error else None,
                    )
                    for row in parsed.rows
                ],
                batch_size=INSERT_BATCH,
            )
            emit(ImportQueued(import_id=job.pk, owner_id=actor.pk))
    except IntegrityError as error:  # the one-unfinished-import constraint
        raise Conflict(str(BUSY)) from error
    return job


def import_retry(*, actor: Profile, import_id: int | str) -> ImportJob:
    """Queue a finished or failed import again: the rows that named accounts or posts of
    other servers (not on this server yet) or that were not found, and any rows a failed
    import never reached. Raises NotFound for another person's or an unknown import,
    Conflict while it (or another import) is unfinished."""
    job = _own(actor, import_id)
    if job.is_unfinished:
        raise Conflict(str(BUSY))
    try:
        with transaction.atomic():
            retried = job.rows.filter(outcome__in=[RowOutcome.REMOTE, RowOutcome.NOT_FOUND]).update(
                outcome=RowOutcome.PENDING, detail="", processed_at=None
            )
            if retried or job.rows.filter(outcome=RowOutcome.PENDING).exists():
                ImportJob.objects.filter(pk=job.pk).update(
                    state=ImportState.PENDING, finished_at=None, error=""
                )
                emit(ImportQueued(import_id=job.pk, owner_id=actor.pk))
    except IntegrityError as error:
        raise Conflict(str(BUSY)) from error
    job.refresh_from_db()
    return job


def _own(actor: Profile, import_id: int | str) -> ImportJob:
    try:
        pk = int(str(import_id))
    except ValueError as error:
        raise NotFound(_("Record not found")) from error
    job = ImportJob.objects.filter(owner=actor, pk=pk).first()
    if job is None:
        raise NotFound(_("Record not found"))
    return job


def import_run(*, import_id: int) -> None:
    """Apply the next rows of an import (the job's body); idempotent and resumable.

    Claims the job (pending or running → running); a finished, failed or deleted one is
    left alone. An overwrite first removes what the file does not hold (once). Then up to
    ROWS_PER_RUN rows (or SECONDS_PER_RUN) are applied in line order, each with its outcome
    in one transaction; with rows left, ImportQueued is emitted for the next batch, else the
    import is finished. An unexpected error on a row marks that row failed and propagates
    (the job retries and continues after it).
    """
    claimed = ImportJob.objects.filter(
        pk=import_id, state__in=[ImportState.PENDING, ImportState.RUNNING]
    ).update(state=ImportState.RUNNING, started_at=Coalesce("started_at", timezone.now()))
    if not claimed:
        return
    job = ImportJob.objects.select_related("owner").get(pk=import_id)
    if job.mode == ImportMode.OVERWRITE and not job.overwrite_done:
        missing_remove(
            job, list(job.rows.exclude(outcome=RowOutcome.FAILED).values_list("data", flat=True))
        )
        ImportJob.objects.filter(pk=job.pk).update(overwrite_done=True)
    started = time.monotonic()
    pending = job.rows.filter(outcome=RowOutcome.PENDING).order_by("line")
    for row in pending[:ROWS_PER_RUN]:
        _row_run(job, row)
        if time.monotonic() - started > SECONDS_PER_RUN:
            break
    with transaction.atomic():
        if pending.exists():
            emit(ImportQueued(import_id=job.pk, owner_id=job.owner_id))
            return
        ImportJob.objects.filter(pk=job.pk, state=ImportState.RUNNING).update(
            state=ImportState.FINISHED, finished_at=timezone.now()
        )


def _row_run(job: ImportJob, row: ImportRow) -> None:
    try:
        with transaction.atomic():
            if not ImportRow.objects.select_for_update().filter(pk=row.pk, outcome="").exists():
                return  # another run applied it meanwhile
            outcome, detail = row_apply(job, row)
            _record(row, outcome, detail)
    except NotFound:
        _record(row, RowOutcome.NOT_FOUND, not_found_detail())
    except DomainError as error:
        _record(row, RowOutcome.FAILED, error.message)
    except Exception:
        logger.exception("Import %s: line %s failed", job.pk, row.line)
        _record(row, RowOutcome.FAILED, str(UNEXPECTED))
        raise


def _record(row: ImportRow, outcome: str, detail: str) -> None:
    ImportRow.objects.filter(pk=row.pk, outcome=RowOutcome.PENDING).update(
        outcome=outcome, detail=detail[:DETAIL_MAX_LENGTH], processed_at=timezone.now()
    )


def import_fail(*, import_id: int, reason: str) -> None:
    """Mark an unfinished import failed (after its job's last attempt); its rows and their
    outcomes stay, so the report shows how far it came."""
    ImportJob.objects.filter(
        pk=import_id, state__in=[ImportState.PENDING, ImportState.RUNNING]
    ).update(state=ImportState.FAILED, finished_at=timezone.now(), error=reason[:DETAIL_MAX_LENGTH])


def imports_unstick(*, older_than: timedelta = IMPORT_STUCK_AFTER) -> int:
    """Mark failed the unfinished imports that nothing is working on any more (no pending
    or running job for them, made more than `older_than` ago), so the teacher can start
    another or continue this one (import_retry); returns how many. A job is lost this way
    only rarely: a lease taken back on its last attempt, or a lost wake-up and row."""
    cutoff = timezone.now() - older_than
    unfinished = ImportJob.objects.filter(
        state__in=[ImportState.PENDING, ImportState.RUNNING], created_at__lt=cutoff
    )
    live = {
        kwargs.get("import_id")
        for kwargs in Job.objects.filter(
            task_path=IMPORT_TASK_PATH, status__in=[JobStatus.PENDING, JobStatus.RUNNING]
        ).values_list("kwargs", flat=True)
    }
    stuck = [pk for pk in unfinished.values_list("pk", flat=True) if pk not in live]
    for pk in stuck:
        import_fail(import_id=pk, reason="Stopped: no worker was running it.")
    return len(stuck)
