"""Tasks of the core app: the wake-up every durable job runs through, and periodic upkeep."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from staffroom.core.health import heartbeat_record
from staffroom.core.jobs import job, job_run, jobs_prune, jobs_sweep
from staffroom.core.scheduler import periodic


@task()
def run_job(job_id: int) -> None:
    """The django-tasks wake-up: run the Job row `job_id` if it is still pending and due.

    Idempotent, so duplicate or late wake-ups are harmless (see core.jobs.job_run).
    """
    job_run(job_id=job_id)


# Every 15 s: with the 45 s lease, a job whose worker was killed is running again within
# about a minute (its last renewal + the lease + at most one period).
@periodic(every=timedelta(seconds=15), name="core.jobs-sweep")
@job(max_attempts=1)
def jobs_sweep_task() -> None:
    """Re-wake jobs whose wake-up was lost and take back expired leases."""
    jobs_sweep()


@periodic(every=timedelta(hours=1), name="core.jobs-prune")
@job(max_attempts=3)
def jobs_prune_task() -> None:
    """Delete old finished jobs and task results."""
    jobs_prune()


@periodic(every=timedelta(minutes=1), name="core.worker-heartbeat")
@job(max_attempts=1)
def worker_heartbeat_task() -> None:
    """Prove to /healthz that a worker really runs jobs."""
    heartbeat_record(name="worker")
