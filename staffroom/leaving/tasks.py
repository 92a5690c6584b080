"""Background jobs of leaving: build an export, prune expired ones, delete an account."""

from __future__ import annotations

from datetime import timedelta

from staffroom.core.jobs import job
from staffroom.core.models import Job, JobStatus
from staffroom.core.scheduler import periodic
from staffroom.leaving.deletion import account_delete_run
from staffroom.leaving.services import export_build, export_fail, exports_prune

EXPORT_BUILD_ATTEMPTS = 3


@job(max_attempts=EXPORT_BUILD_ATTEMPTS)
def export_build_task(*, export_id: int) -> None:
    """Build the archive of one export request; the last failed attempt marks it failed."""
    try:
        export_build(export_id=export_id)
    except Exception as error:
        if _last_attempt(export_id):
            export_fail(export_id=export_id, reason=f"{type(error).__name__}")
        raise


def _last_attempt(export_id: int) -> bool:
    running = Job.objects.filter(
        task_path=export_build_task.path,
        kwargs__export_id=export_id,
        status=JobStatus.RUNNING,
    ).first()
    return running is None or running.attempts >= running.max_attempts


@periodic(every=timedelta(hours=1), name="leaving.exports-prune")
@job(max_attempts=3)
def exports_prune_task() -> None:
    """Delete the files of expired exports (kept EXPORT_KEEP) and fail stuck builds."""
    exports_prune()


@job(max_attempts=10)
def account_delete_task(*, user_id: int) -> None:
    """Remove a deactivated account's content and personal data, then the user row."""
    account_delete_run(user_id=user_id)
