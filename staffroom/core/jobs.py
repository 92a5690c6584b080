"""Durable background jobs: the `Job` row is the truth, the task queue only wakes workers.

A job is a module-level function decorated with `@job`, taking keyword-only, JSON-serialisable
arguments (ids and primitives). `enqueue()` writes a `Job` row in the caller's transaction and
sends a wake-up (`core.tasks.run_job`) through the django-tasks backend: with django-tasks-db in
the same transaction, with RQ once the transaction commits. `job_run()` claims the row with a
lease, calls the function and records the outcome, retrying with backoff. `jobs_sweep()`
re-wakes jobs whose wake-up was lost and takes back expired leases. docs/subsystems/jobs.md
tells the whole story.
"""

from __future__ import annotations

import importlib
import inspect
import json
import logging
import os
import random
import secrets
import socket
import threading
import traceback
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from staffroom.core.models import Job, JobStatus

logger = logging.getLogger(__name__)

RETRY_CAP = timedelta(hours=6)
LAST_ERROR_MAX_CHARS = 4000
# Names enqueue() keeps for itself; a job may not take them as arguments.
RESERVED_ARGUMENTS = frozenset({"run_after"})


class UnknownJob(LookupError):
    """A task path that no `@job` function registered (or one outside `staffroom.`)."""


class JobFunction:
    """A function registered as a job under its import path (`module.function`)."""

    def __init__(self, func: Callable[..., None], *, max_attempts: int) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        _check_signature(func)
        self.func = func
        self.max_attempts = max_attempts
        self.path = f"{func.__module__}.{func.__qualname__}"
        self.__doc__ = func.__doc__

    def __call__(self, **kwargs: Any) -> None:
        self.func(**kwargs)

    def __repr__(self) -> str:
        return f"<JobFunction {self.path}>"


_registry: dict[str, JobFunction] = {}


def _check_signature(func: Callable[..., None]) -> None:
    if "." in func.__qualname__:
        raise TypeError(f"{func.__qualname__}: a job must be a module-level function")
    for parameter in inspect.signature(func).parameters.values():
        if parameter.kind is not inspect.Parameter.KEYWORD_ONLY:
            raise TypeError(f"{func.__qualname__}: job arguments must be keyword-only")
        if parameter.name in RESERVED_ARGUMENTS:
            raise TypeError(f"{func.__qualname__}: '{parameter.name}' is reserved by enqueue()")


def job(*, max_attempts: int = 5) -> Callable[[Callable[..., None]], JobFunction]:
    """Register a module-level function as a job that runs at most `max_attempts` times."""

    def wrap(func: Callable[..., None]) -> JobFunction:
        job_function = JobFunction(func, max_attempts=max_attempts)
        _registry[job_function.path] = job_function
        return job_function

    return wrap


def job_function_for_path(path: str) -> JobFunction:
    """The registered job at `path`, importing its module first when it is one of ours.

    A worker process finds jobs it has not imported yet this way. Only modules under
    `staffroom.` are ever imported, and only paths registered with `@job` are returned.
    Raises UnknownJob otherwise.
    """
    found = _registry.get(path)
    if found is None and path.startswith("staffroom."):
        module_path = path.rpartition(".")[0]
        try:
            importlib.import_module(module_path)
        except ImportError as error:
            raise UnknownJob(path) from error
        found = _registry.get(path)
    if found is None:
        raise UnknownJob(path)
    return found


def enqueue(
    job_function: JobFunction,
    *,
    run_after: datetime | timedelta | None = None,
    **kwargs: Any,
) -> Job:
    """Write a pending Job for `job_function(**kwargs)` and wake a worker for it.

    Call it inside the transaction that writes the rows the job acts on: with the database
    backend the wake-up row is written in the same transaction (a rollback removes both);
    with RQ the wake-up is pushed on commit. `run_after` (a time or a delay) defers the job.
    Raises TypeError when the arguments do not fit the function or are not JSON.
    """
    inspect.signature(job_function.func).bind(**kwargs)
    json.dumps(kwargs)  # raises TypeError for anything a worker could not read back
    now = timezone.now()
    due = now + run_after if isinstance(run_after, timedelta) else run_after or now
    with transaction.atomic(savepoint=False):
        created = Job.objects.create(
            task_path=job_function.path,
            kwargs=kwargs,
            max_attempts=job_function.max_attempts,
            run_after=due,
            woken_at=now,
            created_at=now,
        )
        _wake(created.pk, run_after=due if due > now else None)
    return created


def _wake(job_id: int, *, run_after: datetime | None) -> None:
    """Ask the task backend to run `job_id` (at `run_after`); the Job row is already written."""
    from staffroom.core.tasks import run_job

    task = run_job.using(run_after=run_after) if run_after is not None else run_job
    if settings.STAFFROOM_TASK_BACKEND == "rq":
        # A Redis push is not transactional: send it only once the Job row is committed.
        # `robust`: a Redis outage must not fail the caller; the sweeper wakes the job later.
        transaction.on_commit(lambda: task.enqueue(job_id), robust=True)
    else:
        task.enqueue(job_id)


def job_run(*, job_id: int) -> bool:
    """Run the job `job_id` if it is pending and due; return whether it ran.

    Idempotent: a job that is finished, not yet due, or running under a live lease is left
    alone. The function runs outside any transaction. A failure is recorded on the row and
    either retried later (with a deferred wake-up) or, after `max_attempts`, marked dead; it
    is never raised.
    """
    token = _claim(job_id)
    if token is None:
        return False
    claimed = Job.objects.get(pk=job_id)
    try:
        with LeaseHeartbeat(job_id, token=token):
            job_function_for_path(claimed.task_path)(**claimed.kwargs)
    except Exception as error:
        _record_failure(claimed, token=token, error=error)
    else:
        _record_success(claimed, token=token)
    return True


def heartbeat_interval() -> float:
    """Seconds between lease renewals: STAFFROOM_JOB_HEARTBEAT_SECONDS, but never more than a
    third of the lease, so two renewals may fail (a busy SQLite) before the lease runs out."""
    lease = float(settings.STAFFROOM_JOB_LEASE_SECONDS)
    return max(0.05, min(float(settings.STAFFROOM_JOB_HEARTBEAT_SECONDS), lease / 3))


class LeaseHeartbeat:
    """While a job runs, a thread renews its lease every `heartbeat_interval()` seconds.

    The lease can then be short (STAFFROOM_JOB_LEASE_SECONDS, 45 s): a job whose worker was
    killed stops being renewed and the sweeper takes it back within about a minute, while a
    job that runs for an hour keeps its lease as long as its worker lives. Each renewal is
    one conditional UPDATE on the thread's own database connection (closed when the thread
    ends), matched on the lease token, so it never revives a lease the sweeper took back;
    once one matches nothing, the thread stops. A failed renewal (SQLite busy with the job's
    own writes) is logged and tried again at the next beat. Used as a context manager: the
    thread is stopped and joined when the job returns or raises.
    """

    def __init__(self, job_id: int, *, token: str) -> None:
        self.job_id = job_id
        self.token = token
        self.renewals = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"job-lease-{job_id}", daemon=True)

    def __enter__(self) -> LeaseHeartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        interval = heartbeat_interval()
        try:
            while not self._stop.wait(interval):
                if not self._renew():
                    return
        finally:
            connection.close()  # this thread's own connection

    def _renew(self) -> bool:
        """Push the lease out once; false when the lease is no longer ours."""
        lease = timedelta(seconds=settings.STAFFROOM_JOB_LEASE_SECONDS)
        mine = Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING, locked_by=self.token)
        try:
            renewed = mine.update(locked_until=timezone.now() + lease)
        except Exception:
            logger.exception("Could not renew the lease of job %s; trying again", self.job_id)
            return True
        if not renewed:
            logger.warning("Job %s lost its lease while running", self.job_id)
            return False
        self.renewals += 1
        return True


def _claim(job_id: int) -> str | None:
    """Take the lease of a pending, due job with one conditional UPDATE; return its token.

    Only one process's UPDATE matches the pending row (PostgreSQL re-checks the condition
    after a concurrent update, SQLite serialises writers), so a job runs once per claim.
    """
    now = timezone.now()
    token = f"{socket.gethostname()[:120]}:{os.getpid()}:{secrets.token_hex(6)}"
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.PENDING, run_after__lte=now).update(
        status=JobStatus.RUNNING,
        attempts=F("attempts") + 1,
        locked_by=token,
        locked_until=now + timedelta(seconds=settings.STAFFROOM_JOB_LEASE_SECONDS),
    )
    return token if claimed else None


def _record_success(claimed: Job, *, token: str) -> None:
    finished = Job.objects.filter(pk=claimed.pk, status=JobStatus.RUNNING, locked_by=token)
    if not finished.update(
        status=JobStatus.SUCCEEDED, finished_at=timezone.now(), locked_until=None
    ):
        logger.warning("Job %s finished after its lease was taken back", claimed.pk)


def _record_failure(claimed: Job, *, token: str, error: Exception) -> None:
    """Retry with backoff or, out of attempts, mark dead; the row is fetched after the claim."""
    last_error = _format_error(error)
    now = timezone.now()
    mine = Job.objects.filter(pk=claimed.pk, status=JobStatus.RUNNING, locked_by=token)
    if claimed.attempts >= claimed.max_attempts:
        logger.error("Job %s (%s) is dead: %s", claimed.pk, claimed.task_path, error)
        mine.update(
            status=JobStatus.DEAD, finished_at=now, locked_until=None, last_error=last_error
        )
        return
    due = now + retry_delay(claimed.attempts)
    logger.warning(
        "Job %s (%s) failed, attempt %s of %s, retry at %s: %s",
        claimed.pk, claimed.task_path, claimed.attempts, claimed.max_attempts, due, error,
    )  # fmt: skip
    with transaction.atomic():
        retried = mine.update(
            status=JobStatus.PENDING,
            run_after=due,
            woken_at=now,
            locked_until=None,
            last_error=last_error,
        )
        if retried:
            _wake(claimed.pk, run_after=due)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after failed attempt number `attempts` (1, 2, ...).

    15 s * 4**(attempts-1) (with the default base: 15 s, 1 min, 4 min, 16 min, 64 min, ...),
    capped at six hours, plus up to 25% random jitter so failures do not retry in lockstep.
    """
    exponent = min(max(attempts - 1, 0), 20)  # 4**20 base seconds is far past the cap
    base = settings.STAFFROOM_JOB_RETRY_BASE_SECONDS * 4**exponent
    delay = min(timedelta(seconds=base), RETRY_CAP)
    jitter = random.uniform(0, 0.25)  # noqa: S311 - spreading retries, not security
    return delay * (1 + jitter)


def _format_error(error: Exception) -> str:
    text = "".join(traceback.format_exception(error))
    # Keep the end of the traceback: the line that raised and the message.
    return text if len(text) <= LAST_ERROR_MAX_CHARS else "..." + text[-LAST_ERROR_MAX_CHARS:]


SWEEP_BATCH = 500
PRUNE_BATCH = 1000
LEASE_LOST = "Lease expired: the worker running this job stopped or took too long."


def jobs_sweep() -> int:
    """Re-wake jobs whose wake-up was lost and take back expired leases; return how many.

    A wake-up is lost when RQ or Redis lost it, or a process died between commit and push;
    a lease expires when a worker is killed mid-job. Each row is moved with a conditional
    UPDATE, so several sweepers at once do no harm. At most SWEEP_BATCH of each per call.
    """
    return _sweep_expired_leases() + _sweep_silent_pending()


def _sweep_silent_pending() -> int:
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.STAFFROOM_JOB_SWEEP_GRACE_SECONDS)
    silent = Job.objects.filter(status=JobStatus.PENDING, run_after__lte=cutoff).filter(
        Q(woken_at__isnull=True) | Q(woken_at__lte=cutoff)
    )
    woken = 0
    due = silent.order_by("run_after").values_list("pk", flat=True)[:SWEEP_BATCH]
    for job_id in list(due):
        with transaction.atomic():
            if silent.filter(pk=job_id).update(woken_at=now):
                _wake(job_id, run_after=None)
                woken += 1
    if woken:
        logger.warning("Re-woke %s due jobs whose wake-up was lost", woken)
    return woken


def _sweep_expired_leases() -> int:
    now = timezone.now()
    expired = Job.objects.filter(status=JobStatus.RUNNING, locked_until__lt=now)
    taken_back = 0
    for job_id in list(expired.values_list("pk", flat=True)[:SWEEP_BATCH]):
        row = expired.filter(pk=job_id)
        with transaction.atomic():
            # The lost run counted as an attempt when it was claimed.
            taken_back += row.filter(attempts__gte=F("max_attempts")).update(
                status=JobStatus.DEAD, finished_at=now, locked_until=None, last_error=LEASE_LOST
            )
            if row.update(
                status=JobStatus.PENDING,
                run_after=now,
                woken_at=now,
                locked_until=None,
                last_error=LEASE_LOST,
            ):
                _wake(job_id, run_after=None)
                taken_back += 1
    if taken_back:
        logger.warning("Took back %s jobs whose lease expired", taken_back)
    return taken_back


def jobs_prune() -> int:
    """Delete old finished jobs and django-tasks-db results; return how many rows went.

    Succeeded jobs go after STAFFROOM_JOB_RETENTION_DAYS, dead ones (kept for inspection)
    after STAFFROOM_DEAD_JOB_RETENTION_DAYS; task results (the wake-ups) after the first,
    including ones left RUNNING by a killed worker. Deletes in small batches so SQLite's
    single writer is never held for long.
    """
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    keep_done = now - timedelta(days=settings.STAFFROOM_JOB_RETENTION_DAYS)
    keep_dead = now - timedelta(days=settings.STAFFROOM_DEAD_JOB_RETENTION_DAYS)
    querysets = [
        Job.objects.filter(status=JobStatus.SUCCEEDED, finished_at__lt=keep_done),
        Job.objects.filter(status=JobStatus.DEAD, finished_at__lt=keep_dead),
        DBTaskResult.objects.filter(
            Q(status__in=["SUCCESSFUL", "FAILED"], finished_at__lt=keep_done)
            | Q(status="RUNNING", started_at__lt=keep_done)
        ),
    ]
    return sum(_delete_in_batches(queryset) for queryset in querysets)


def _delete_in_batches(queryset: QuerySet[Any]) -> int:
    deleted = 0
    while True:
        ids = list(queryset.order_by().values_list("pk", flat=True)[:PRUNE_BATCH])
        if ids:
            deleted += queryset.model._default_manager.filter(pk__in=ids).delete()[0]
        if len(ids) < PRUNE_BATCH:
            return deleted
