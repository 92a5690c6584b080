"""A tiny periodic scheduler: a registry of periodic jobs and one pass of the scheduler loop.

Register with `@periodic` above `@job` in an app's `tasks.py`:

    @periodic(every=timedelta(minutes=5), name="timelines.trim")
    @job(max_attempts=3)
    def timelines_trim_task() -> None: ...

`staffroom scheduler` (which `staffroom serve` runs) imports every installed app's `tasks`
module and calls `scheduler_tick()` every few seconds. Several schedulers may run at once:
each period is claimed with a conditional UPDATE on its `ScheduleEntry` row, and only the
process whose UPDATE changed the row enqueues the job.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from staffroom.core.health import heartbeat_record
from staffroom.core.jobs import JobFunction, enqueue
from staffroom.core.models import Job, JobStatus, ScheduleEntry

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    name: str
    every: timedelta
    job_function: JobFunction


_periodic: dict[str, Periodic] = {}


def periodic(*, every: timedelta, name: str) -> Callable[[JobFunction], JobFunction]:
    """Run the decorated job (it takes no arguments) every `every`, under the unique `name`."""

    def wrap(job_function: JobFunction) -> JobFunction:
        if not isinstance(job_function, JobFunction):
            raise TypeError("@periodic goes above @job")
        if inspect.signature(job_function.func).parameters:
            raise TypeError(f"{job_function.path}: a periodic job takes no arguments")
        if every <= timedelta(0):
            raise ValueError("every must be positive")
        existing = _periodic.get(name)
        if existing is not None and existing.job_function.path != job_function.path:
            raise ValueError(f"Periodic name {name!r} is already used by {existing.job_function}")
        _periodic[name] = Periodic(name=name, every=every, job_function=job_function)
        return job_function

    return wrap


def periodic_list() -> list[Periodic]:
    """Every registered periodic job, by name (call `periodic_discover()` first)."""
    return sorted(_periodic.values(), key=lambda entry: entry.name)


def periodic_discover() -> None:
    """Import each installed app's `tasks` module, so that its `@periodic` jobs register."""
    autodiscover_modules("tasks")


def scheduler_tick(*, entries: Iterable[Periodic] | None = None) -> list[str]:
    """One pass of the scheduler: write its heartbeat and enqueue each due periodic job once.

    Returns the names of the jobs this process enqueued. A job whose previous run has not
    finished (pending or running) is not enqueued again: its period is simply skipped, so
    a stopped worker does not come back to a pile of identical jobs.
    """
    heartbeat_record(name="scheduler")
    now = timezone.now()
    chosen = periodic_list() if entries is None else list(entries)
    next_runs = _schedule_rows(chosen, now=now)
    enqueued = []
    for entry in chosen:
        seen = next_runs[entry.name]
        if seen <= now and periodic_claim(entry, seen=seen, now=now):
            if _enqueue_unless_unfinished(entry):
                enqueued.append(entry.name)
        elif seen > now + entry.every:
            # The period was shortened in code since the row was written: pull it in.
            ScheduleEntry.objects.filter(name=entry.name, next_run_at=seen).update(
                next_run_at=now + entry.every
            )
    return enqueued


def _schedule_rows(entries: list[Periodic], *, now: datetime) -> dict[str, datetime]:
    """The stored next run of each entry; a new entry is due at once."""
    names = [entry.name for entry in entries]
    rows = dict(ScheduleEntry.objects.filter(name__in=names).values_list("name", "next_run_at"))
    missing = [ScheduleEntry(name=name, next_run_at=now) for name in names if name not in rows]
    if missing:
        ScheduleEntry.objects.bulk_create(missing, ignore_conflicts=True)
        rows = dict(ScheduleEntry.objects.filter(name__in=names).values_list("name", "next_run_at"))
    return rows


def periodic_claim(entry: Periodic, *, seen: datetime, now: datetime) -> bool:
    """Take the period that was due at `seen`; true only for the one process that got it.

    A compare-and-set on `next_run_at`: a second scheduler that read the same row finds it
    already moved and updates nothing. The next run keeps the cadence (seen + every) unless
    that is already past, in which case missed periods are skipped, not replayed.
    """
    following = seen + entry.every
    if following <= now:
        following = now + entry.every
    claimed = ScheduleEntry.objects.filter(name=entry.name, next_run_at=seen).update(
        next_run_at=following, last_run_at=now
    )
    return claimed == 1


def _enqueue_unless_unfinished(entry: Periodic) -> bool:
    path = entry.job_function.path
    # A run whose lease expired is not unfinished but lost (its worker was killed): counting
    # it would stop the sweeper for good once the sweep itself was the lost job, since only
    # a sweep takes an expired lease back.
    unfinished = Job.objects.filter(task_path=path).filter(
        Q(status=JobStatus.PENDING) | Q(status=JobStatus.RUNNING, locked_until__gte=timezone.now())
    )
    with transaction.atomic():
        if unfinished.exists():
            logger.info("Skipping %s: its previous run has not finished", entry.name)
            return False
        enqueue(entry.job_function)
    return True
