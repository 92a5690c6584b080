"""Background jobs of importing: apply an import's rows, batch by batch."""

from __future__ import annotations

from datetime import timedelta

from staffroom.core.jobs import job
from staffroom.core.models import Job, JobStatus
from staffroom.core.scheduler import periodic
from staffroom.importing.services import IMPORT_TASK_PATH, import_fail, import_run, imports_unstick

IMPORT_RUN_ATTEMPTS = 5


@job(max_attempts=IMPORT_RUN_ATTEMPTS)
def import_run_task(*, import_id: int) -> None:
    """Apply the next batch of an import's rows; the last failed attempt marks it failed."""
    try:
        import_run(import_id=import_id)
    except Exception as error:
        if _last_attempt(import_id):
            import_fail(import_id=import_id, reason=f"{type(error).__name__}")
        raise


if import_run_task.path != IMPORT_TASK_PATH:  # the services find its jobs by this name
    raise RuntimeError(f"{import_run_task.path} != {IMPORT_TASK_PATH}")


def _last_attempt(import_id: int) -> bool:
    running = Job.objects.filter(
        task_path=import_run_task.path, kwargs__import_id=import_id, status=JobStatus.RUNNING
    ).first()
    return running is None or running.attempts >= running.max_attempts


@periodic(every=timedelta(hours=1), name="importing.imports-unstick")
@job(max_attempts=3)
def imports_unstick_task() -> None:
    """Mark failed the imports no job is working on any more (IMPORT_STUCK_AFTER)."""
    imports_unstick()
