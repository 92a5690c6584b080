from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResult, task_backends
from django_tasks.backends.dummy import DummyBackend
from django_tasks_db.models import DBTaskResult

from staffroom.core.health import heartbeat_record
from staffroom.core.jobs import (
    LEASE_LOST,
    UnknownJob,
    enqueue,
    job,
    job_function_for_path,
    job_run,
    jobs_prune,
    jobs_sweep,
    retry_delay,
)
from staffroom.core.models import Heartbeat, Job, JobStatus

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


# Jobs for these tests; their side effect is a Heartbeat row named after the argument.
@job(max_attempts=3)
def note_task(*, note: str) -> None:
    heartbeat_record(name=note)


@job(max_attempts=3)
def flaky_task(*, note: str) -> None:
    """Fails on the first attempt, succeeds on the next."""
    if not Heartbeat.objects.filter(name=f"{note}-tried").exists():
        heartbeat_record(name=f"{note}-tried")
        raise RuntimeError("first attempt fails")
    heartbeat_record(name=note)


@job(max_attempts=2)
def broken_task(*, note: str) -> None:
    raise RuntimeError(f"always fails: {note}")


@pytest.fixture(autouse=True)
def wakeups():
    """The wake-ups the recording (dummy) task backend received in this test.

    Wake-ups go out as the database backend sends them (at once, in the transaction) whatever
    STAFFROOM_TEST_TASK_BACKEND says; the RQ tests override it back to "rq".
    """
    with override_settings(STAFFROOM_TASK_BACKEND="database"):
        yield from _recorded_wakeups()


def _recorded_wakeups() -> Iterator[list[TaskResult[Any]]]:
    backend = task_backends["default"]
    assert isinstance(backend, DummyBackend)
    backend.clear()
    yield backend.results
    backend.clear()


def _enqueue_then_fail(counted: list[int]) -> None:
    """A caller that enqueues a job in its transaction, then fails (so it rolls back)."""
    with transaction.atomic():
        enqueue(note_task, note="never")
        counted += [Job.objects.count(), DBTaskResult.objects.count()]
        raise RuntimeError("the caller fails after enqueueing")


def _woken_ids(results) -> list[int]:
    return [result.args[0] for result in results if result.task.name == "run_job"]


@pytest.mark.django_db
def test_enqueue_writes_pending_job_and_wakes_a_worker(wakeups):
    created = enqueue(note_task, note="hello")
    stored = Job.objects.get()
    assert stored.pk == created.pk
    assert (stored.task_path, stored.kwargs) == (
        "tests.core.test_jobs.note_task",
        {"note": "hello"},
    )
    assert (stored.status, stored.attempts, stored.max_attempts) == (JobStatus.PENDING, 0, 3)
    assert _woken_ids(wakeups) == [stored.pk]


@pytest.mark.django_db
def test_enqueue_rolled_back_leaves_no_job_and_no_task_row():
    """SECURITY-PLAN Q-4."""
    with override_settings(TASKS=DATABASE_TASKS):
        counted: list[int] = []
        with pytest.raises(RuntimeError):
            _enqueue_then_fail(counted)
        assert counted == [1, 1]  # both rows existed inside the transaction
        assert not Job.objects.exists()
        assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_enqueue_with_database_backend_writes_the_wakeup_row():
    with override_settings(TASKS=DATABASE_TASKS):
        created = enqueue(note_task, note="hello")
        task_row = DBTaskResult.objects.get()
        assert task_row.task_path == "staffroom.core.tasks.run_job"
        assert task_row.args_kwargs == {"args": [created.pk], "kwargs": {}}


@pytest.mark.django_db
@override_settings(STAFFROOM_TASK_BACKEND="rq")
def test_enqueue_with_rq_wakes_only_on_commit(wakeups, django_capture_on_commit_callbacks):
    """SECURITY-PLAN Q-4."""
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            created = enqueue(note_task, note="hello")
            assert wakeups == []
        assert wakeups == []  # the test's own transaction has not committed yet
    assert _woken_ids(wakeups) == [created.pk]


@pytest.mark.django_db
@override_settings(STAFFROOM_TASK_BACKEND="rq")
def test_enqueue_with_rq_rolled_back_sends_no_wakeup(wakeups, django_capture_on_commit_callbacks):
    """SECURITY-PLAN Q-4."""
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        _enqueue_then_fail([])
    assert callbacks == []
    assert wakeups == []
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_enqueue_rejects_arguments_the_job_cannot_take():
    with pytest.raises(TypeError):
        enqueue(note_task, note="x", extra=1)
    with pytest.raises(TypeError):
        enqueue(note_task, note=object())
    assert not Job.objects.exists()


def test_job_requires_a_module_level_function_with_keyword_only_arguments():
    def positional(user_id: int) -> None: ...

    with pytest.raises(TypeError, match="module-level"):
        job()(positional)
    positional.__qualname__ = "positional"  # as if it were defined at module level
    with pytest.raises(TypeError, match="keyword-only"):
        job()(positional)


@pytest.mark.django_db
def test_enqueue_with_delay_defers_job_and_wakeup(wakeups, run_jobs):
    with time_machine.travel(NOW, tick=False):
        created = enqueue(note_task, run_after=timedelta(minutes=5), note="later")
        assert created.run_after == NOW + timedelta(minutes=5)
        assert wakeups[0].task.run_after == NOW + timedelta(minutes=5)
        assert run_jobs() == 0
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        assert run_jobs() == 1
    assert Heartbeat.objects.filter(name="later").exists()


@pytest.mark.django_db
def test_run_jobs_runs_the_job_and_marks_it_succeeded(run_jobs):
    enqueue(note_task, note="hello")
    assert run_jobs() == 1
    stored = Job.objects.get()
    assert (stored.status, stored.attempts, stored.locked_until) == (JobStatus.SUCCEEDED, 1, None)
    assert stored.finished_at is not None
    assert Heartbeat.objects.filter(name="hello").exists()
    assert run_jobs() == 0


@pytest.mark.django_db
def test_job_run_failure_retries_with_backoff_when_due(wakeups, run_jobs):
    """SECURITY-PLAN Q-1."""
    with time_machine.travel(NOW, tick=False):
        created = enqueue(flaky_task, note="flaky")
        wakeups.clear()
        assert run_jobs() == 1
        stored = Job.objects.get(pk=created.pk)
        assert (stored.status, stored.attempts) == (JobStatus.PENDING, 1)
        assert NOW + timedelta(seconds=15) <= stored.run_after <= NOW + timedelta(seconds=18.75)
        assert "RuntimeError: first attempt fails" in stored.last_error
        assert [(r.args[0], r.task.run_after) for r in wakeups] == [(created.pk, stored.run_after)]
        assert run_jobs() == 0  # not due yet
    with time_machine.travel(NOW + timedelta(seconds=20), tick=False):
        assert run_jobs() == 1
    stored.refresh_from_db()
    assert (stored.status, stored.attempts) == (JobStatus.SUCCEEDED, 2)
    assert Heartbeat.objects.filter(name="flaky").exists()


@pytest.mark.django_db
def test_job_run_marks_dead_after_max_attempts(wakeups, run_jobs):
    """SECURITY-PLAN Q-7."""
    with time_machine.travel(NOW, tick=False):
        created = enqueue(broken_task, note="x")
        run_jobs()
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        wakeups.clear()
        assert run_jobs() == 1
    stored = Job.objects.get(pk=created.pk)
    assert (stored.status, stored.attempts) == (JobStatus.DEAD, 2)
    assert stored.finished_at is not None
    assert "always fails: x" in stored.last_error
    assert wakeups == []  # no further retry
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        assert run_jobs() == 0


def test_retry_delay_grows_fourfold_with_jitter_and_a_cap():
    """SECURITY-PLAN Q-1."""
    for attempts, base in [(1, 15), (2, 60), (3, 240), (4, 960)]:
        delay = retry_delay(attempts).total_seconds()
        assert base <= delay <= base * 1.25
    assert retry_delay(30) <= timedelta(hours=6) * 1.25


@pytest.mark.django_db
def test_job_run_is_idempotent_for_finished_running_and_future_jobs(run_jobs):
    done = enqueue(note_task, note="done")
    run_jobs()
    assert job_run(job_id=done.pk) is False
    assert Job.objects.get(pk=done.pk).attempts == 1

    leased = enqueue(note_task, note="leased")
    Job.objects.filter(pk=leased.pk).update(
        status=JobStatus.RUNNING, attempts=1, locked_until=timezone.now() + timedelta(minutes=5)
    )
    assert job_run(job_id=leased.pk) is False

    future = enqueue(note_task, run_after=timedelta(hours=1), note="future")
    assert job_run(job_id=future.pk) is False
    assert job_run(job_id=999_999) is False
    assert not Heartbeat.objects.filter(name__in=["leased", "future"]).exists()


def test_job_function_for_path_refuses_paths_not_registered():
    assert job_function_for_path("tests.core.test_jobs.note_task") is note_task
    assert job_function_for_path("staffroom.core.tasks.jobs_sweep_task").max_attempts == 1
    for path in ["os.system", "staffroom.core.models.Job", "staffroom.nowhere.task", "x"]:
        with pytest.raises(UnknownJob):
            job_function_for_path(path)


@pytest.mark.django_db
def test_job_with_unknown_path_fails_like_any_error(run_jobs):
    stored = Job.objects.create(
        task_path="os.system",
        kwargs={"command": "true"},
        max_attempts=1,
        run_after=timezone.now(),
        created_at=timezone.now(),
    )
    assert run_jobs() == 1
    stored.refresh_from_db()
    assert stored.status == JobStatus.DEAD
    assert "UnknownJob" in stored.last_error


@pytest.mark.django_db
@override_settings(STAFFROOM_JOB_SWEEP_GRACE_SECONDS=300)
def test_jobs_sweep_rewakes_due_jobs_whose_wakeup_was_lost(wakeups, run_jobs):
    """SECURITY-PLAN Q-4."""
    with time_machine.travel(NOW, tick=False):
        lost = enqueue(note_task, note="lost")
        wakeups.clear()  # Redis flushed, the worker crashed...
        assert jobs_sweep() == 0  # too recent: its wake-up may still be on the way
    with time_machine.travel(NOW + timedelta(minutes=6), tick=False):
        fresh = enqueue(note_task, note="fresh")
        wakeups.clear()
        assert jobs_sweep() == 1
        assert _woken_ids(wakeups) == [lost.pk]
        assert jobs_sweep() == 0  # just woken
        assert run_jobs() == 2
    assert Job.objects.filter(pk__in=[lost.pk, fresh.pk], status=JobStatus.SUCCEEDED).count() == 2


@pytest.mark.django_db
def test_jobs_sweep_takes_back_expired_leases(wakeups, run_jobs):
    """SECURITY-PLAN Q-3."""
    with time_machine.travel(NOW, tick=False):
        killed = enqueue(note_task, note="killed")
        final = enqueue(note_task, note="final")
        lease_ended = NOW - timedelta(seconds=1)
        Job.objects.filter(pk=killed.pk).update(
            status=JobStatus.RUNNING, attempts=1, locked_until=lease_ended
        )
        Job.objects.filter(pk=final.pk).update(
            status=JobStatus.RUNNING, attempts=3, locked_until=lease_ended
        )
        wakeups.clear()
        assert jobs_sweep() == 2
        assert _woken_ids(wakeups) == [killed.pk]
        assert run_jobs() == 1
    killed.refresh_from_db()
    final.refresh_from_db()
    assert (killed.status, killed.attempts, killed.last_error) == (
        JobStatus.SUCCEEDED,
        2,
        LEASE_LOST,
    )
    assert (final.status, final.last_error) == (JobStatus.DEAD, LEASE_LOST)


@pytest.mark.django_db
def test_jobs_prune_deletes_old_finished_jobs_and_task_results(run_jobs):
    with override_settings(TASKS=DATABASE_TASKS):
        with time_machine.travel(NOW, tick=False):
            old = enqueue(note_task, note="old")
            dead = Job.objects.create(
                task_path="x", status=JobStatus.DEAD, run_after=NOW, created_at=NOW
            )
            run_jobs()
            Job.objects.filter(pk=dead.pk).update(finished_at=NOW)
            DBTaskResult.objects.update(status="SUCCESSFUL", finished_at=NOW)
        with time_machine.travel(NOW + timedelta(days=8), tick=False):
            recent = enqueue(note_task, note="recent")
            run_jobs()
            assert jobs_prune() == 2  # the old job and its task row
            assert set(Job.objects.values_list("pk", flat=True)) == {dead.pk, recent.pk}
            assert DBTaskResult.objects.count() == 1
        with time_machine.travel(NOW + timedelta(days=31), tick=False):
            jobs_prune()
            assert not Job.objects.filter(pk__in=[old.pk, dead.pk]).exists()
