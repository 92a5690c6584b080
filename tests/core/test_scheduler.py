from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command

from staffroom.core.health import heartbeat_record
from staffroom.core.jobs import job
from staffroom.core.models import Heartbeat, Job, JobStatus, ScheduleEntry
from staffroom.core.scheduler import (
    Periodic,
    periodic,
    periodic_claim,
    periodic_discover,
    periodic_list,
    scheduler_tick,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@job(max_attempts=1)
def tick_task() -> None:
    heartbeat_record(name="ticked")


TICK = Periodic(name="tests.tick", every=timedelta(minutes=1), job_function=tick_task)


@job(max_attempts=1)
def needs_argument_task(*, user_id: int) -> None: ...


def test_periodic_refuses_jobs_with_arguments_and_bare_functions():
    with pytest.raises(TypeError, match="no arguments"):
        periodic(every=timedelta(minutes=1), name="tests.bad")(needs_argument_task)
    with pytest.raises(TypeError, match="above @job"):
        periodic(every=timedelta(minutes=1), name="tests.bad")(print)  # type: ignore[arg-type]


def test_periodic_discover_registers_the_core_upkeep_jobs():
    periodic_discover()
    names = {entry.name for entry in periodic_list()}
    assert {"core.jobs-sweep", "core.jobs-prune", "core.worker-heartbeat"} <= names


@pytest.mark.django_db
def test_scheduler_tick_enqueues_a_due_job_once_per_period(run_jobs):
    with time_machine.travel(NOW, tick=False):
        assert scheduler_tick(entries=[TICK]) == ["tests.tick"]  # a new entry is due at once
        assert scheduler_tick(entries=[TICK]) == []
        entry = ScheduleEntry.objects.get(name="tests.tick")
        assert entry.next_run_at == NOW + timedelta(minutes=1)
        assert run_jobs() == 1
    with time_machine.travel(NOW + timedelta(seconds=59), tick=False):
        assert scheduler_tick(entries=[TICK]) == []
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        assert scheduler_tick(entries=[TICK]) == ["tests.tick"]
        entry = ScheduleEntry.objects.get(name="tests.tick")
        assert entry.next_run_at == NOW + timedelta(minutes=2)  # the cadence is kept
    assert Job.objects.filter(task_path=tick_task.path).count() == 2
    assert Heartbeat.objects.get(name="scheduler").seen_at == NOW + timedelta(minutes=1)


@pytest.mark.django_db
def test_scheduler_tick_skips_missed_periods_and_unfinished_runs():
    with time_machine.travel(NOW, tick=False):
        scheduler_tick(entries=[TICK])
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        assert scheduler_tick(entries=[TICK]) == []  # the first run is still pending
        entry = ScheduleEntry.objects.get(name="tests.tick")
        assert entry.next_run_at == NOW + timedelta(hours=1, minutes=1)
    assert Job.objects.filter(task_path=tick_task.path).count() == 1


@pytest.mark.django_db
def test_two_schedulers_that_saw_the_same_period_enqueue_it_once():
    with time_machine.travel(NOW, tick=False):
        ScheduleEntry.objects.create(name="tests.tick", next_run_at=NOW)
        seen = ScheduleEntry.objects.get(name="tests.tick").next_run_at
        # Both processes read the row before either updated it; only one UPDATE matches.
        first = periodic_claim(TICK, seen=seen, now=NOW)
        second = periodic_claim(TICK, seen=seen, now=NOW)
        assert (first, second) == (True, False)
        assert scheduler_tick(entries=[TICK]) == []  # a third one, later, finds it not due
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_scheduler_tick_pulls_in_a_period_shortened_in_code():
    with time_machine.travel(NOW, tick=False):
        ScheduleEntry.objects.create(name="tests.tick", next_run_at=NOW + timedelta(days=1))
        assert scheduler_tick(entries=[TICK]) == []
        entry = ScheduleEntry.objects.get(name="tests.tick")
        assert entry.next_run_at == NOW + timedelta(minutes=1)


@pytest.mark.django_db
def test_scheduler_command_once_beats_and_enqueues_the_upkeep_jobs(run_jobs):
    call_command("scheduler", "--once")
    assert Heartbeat.objects.filter(name="scheduler").exists()
    paths = set(Job.objects.values_list("task_path", flat=True))
    assert "staffroom.core.tasks.worker_heartbeat_task" in paths
    assert "staffroom.core.tasks.jobs_sweep_task" in paths
    run_jobs()
    assert Heartbeat.objects.filter(name="worker").exists()
    assert not Job.objects.exclude(status=JobStatus.SUCCEEDED).exists()
