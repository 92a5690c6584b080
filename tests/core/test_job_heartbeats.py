"""A running job's worker renews its lease, so the lease can be short: a job that runs longer
than its lease is never taken back while its worker lives, a job whose worker was killed (no
renewals) is taken back by the sweeper soon after, and the renewing thread ends with its job
(SECURITY-PLAN Q-3).

These tests run jobs for real, with a lease of a second or so, and need the renewing thread's
own database connection to see the job's row: hence committed transactions."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from staffroom.core.jobs import LEASE_LOST, enqueue, heartbeat_interval, job, job_run, jobs_sweep
from staffroom.core.models import Job, JobStatus
from staffroom.core.scheduler import periodic_discover, periodic_list, scheduler_tick

# Filled in by the jobs below while they run, read by the tests.
seen: dict[str, list[Any]] = {}


def _lease_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name.startswith("job-lease-")]


def _lease_of(job_id: int):
    return Job.objects.values_list("locked_until", flat=True).get(pk=job_id)


@job(max_attempts=1)
def outlives_its_lease_task(*, job_id: int, seconds: float) -> None:
    """Runs `seconds` (over the lease), noting its lease as it goes, then sweeps."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        seen["leases"].append(_lease_of(job_id))
        time.sleep(0.2)
    seen["threads"].append(len(_lease_threads()))
    seen["taken_back"].append(jobs_sweep())


@job(max_attempts=2)
def fails_after_a_while_task() -> None:
    seen["threads"].append(len(_lease_threads()))
    time.sleep(0.3)
    raise RuntimeError("fails")


@job(max_attempts=1)
def loses_its_lease_task(*, job_id: int) -> None:
    """The sweeper takes the lease back under it (as if it had been too slow)."""
    Job.objects.filter(pk=job_id).update(status=JobStatus.PENDING, locked_until=None)
    time.sleep(4 * heartbeat_interval())
    seen["threads"].append(len(_lease_threads()))


@pytest.fixture(autouse=True)
def short_lease():
    seen.update(leases=[], threads=[], taken_back=[])
    with override_settings(STAFFROOM_JOB_LEASE_SECONDS=1, STAFFROOM_TASK_BACKEND="database"):
        yield


def _enqueued(job_function, **kwargs) -> Job:
    """Enqueue a job that takes its own id (`job_id`) among its arguments."""
    created = enqueue(job_function, job_id=0, **kwargs)
    Job.objects.filter(pk=created.pk).update(kwargs={**kwargs, "job_id": created.pk})
    return created


def test_renewals_come_every_third_of_the_lease_at_most():
    assert heartbeat_interval() == pytest.approx(1 / 3)
    with override_settings(STAFFROOM_JOB_LEASE_SECONDS=45, STAFFROOM_JOB_HEARTBEAT_SECONDS=15):
        assert heartbeat_interval() == 15


@pytest.mark.django_db(transaction=True)
def test_a_job_running_past_its_lease_keeps_it_while_its_worker_lives(settings):
    # Renewals every 0.2 s against a 2 s lease: ten chances before it could lapse, so a
    # busy machine delaying a few still never lets it go.
    settings.STAFFROOM_JOB_LEASE_SECONDS = 2
    settings.STAFFROOM_JOB_HEARTBEAT_SECONDS = 0.2
    running = _enqueued(outlives_its_lease_task, seconds=3)
    assert job_run(job_id=running.pk)
    running.refresh_from_db()
    assert (running.status, running.attempts, running.last_error) == (JobStatus.SUCCEEDED, 1, "")
    assert seen["taken_back"] == [0]  # a sweep 3 s into a 2 s lease found it alive
    leases = seen["leases"]
    assert leases == sorted(leases)
    assert len(set(leases)) >= 4  # pushed out again and again while it ran


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_stopped_renewing_is_taken_back_by_the_sweep():
    killed = enqueue(outlives_its_lease_task, job_id=0, seconds=0)
    # Claimed by a worker that was then killed: the claim's lease, and no renewals after it.
    Job.objects.filter(pk=killed.pk).update(
        status=JobStatus.RUNNING, attempts=0, locked_by="gone:1:ab",
        locked_until=timezone.now() + timedelta(seconds=30),
    )  # fmt: skip
    assert jobs_sweep() == 0  # the lease still runs
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        assert jobs_sweep() == 1
    killed.refresh_from_db()
    assert (killed.status, killed.last_error, killed.locked_until) == (
        JobStatus.PENDING,
        LEASE_LOST,
        None,
    )


@pytest.mark.django_db(transaction=True)
def test_the_renewing_thread_runs_with_its_job_and_ends_with_it():
    assert _lease_threads() == []
    succeeding = _enqueued(outlives_its_lease_task, seconds=0.5)
    failing = enqueue(fails_after_a_while_task)
    assert job_run(job_id=succeeding.pk)
    assert job_run(job_id=failing.pk)
    assert seen["threads"] == [1, 1]  # one renewing thread while each ran
    assert _lease_threads() == []  # and none left after either, success or failure
    failing.refresh_from_db()
    assert failing.status == JobStatus.PENDING  # retried later; its lease is not renewed
    assert failing.locked_until is None


@pytest.mark.django_db(transaction=True)
def test_a_renewal_never_revives_a_lease_that_was_taken_back():
    lost = _enqueued(loses_its_lease_task)
    assert job_run(job_id=lost.pk)
    assert seen["threads"] == [0]  # the thread stopped by itself once the lease was gone
    lost.refresh_from_db()
    assert (lost.status, lost.locked_until) == (JobStatus.PENDING, None)


@pytest.mark.django_db
def test_a_killed_job_is_taken_back_within_about_a_minute_by_default(settings):
    settings.STAFFROOM_JOB_LEASE_SECONDS = 45
    settings.STAFFROOM_JOB_HEARTBEAT_SECONDS = 15
    periodic_discover()
    [sweep] = [entry for entry in periodic_list() if entry.name == "core.jobs-sweep"]
    # The last renewal, then the lease, then at most one period until the next sweep.
    worst = timedelta(seconds=settings.STAFFROOM_JOB_LEASE_SECONDS) + sweep.every
    assert worst <= timedelta(minutes=1)
    assert heartbeat_interval() <= settings.STAFFROOM_JOB_LEASE_SECONDS / 3


@pytest.mark.django_db
def test_a_sweep_whose_worker_was_killed_does_not_stop_the_sweeper():
    periodic_discover()
    [sweep] = [entry for entry in periodic_list() if entry.name == "core.jobs-sweep"]
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        lost = enqueue(sweep.job_function)
        Job.objects.filter(pk=lost.pk).update(
            status=JobStatus.RUNNING, attempts=1, locked_until=now - timedelta(seconds=1)
        )
        # A live run is still waited for; a lost one is not: a new sweep is enqueued, and
        # that sweep takes the lost one back.
        assert "core.jobs-sweep" in scheduler_tick(entries=[sweep])
    assert Job.objects.filter(task_path=sweep.job_function.path).count() == 2
