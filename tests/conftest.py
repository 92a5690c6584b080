"""Fixtures shared by the whole suite."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from staffroom.accounts.models import User
from tests.factories import make_user


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters in the cache must not leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user(db) -> User:
    return make_user(handle="ada")


@pytest.fixture
def client_for(client):
    """A test client signed in as the given user."""

    def sign_in(account: User):
        client.force_login(account, backend="staffroom.accounts.backends.EmailOrHandleBackend")
        return client

    return sign_in


@pytest.fixture
def run_jobs():
    """Run background work as a worker would, returning how many jobs ran.

    First executes the on-commit callbacks registered so far (as
    `django_capture_on_commit_callbacks(execute=True)` does, but for everything registered
    since the test began, and removing them so nothing runs twice), then runs every pending
    Job that is due; it repeats while jobs enqueue more jobs (at most `max_rounds` times).
    Jobs that are not yet due (deferred, or waiting for a retry) are left for a later call,
    typically after moving the clock with time-machine.
    """
    from typing import Any

    from django.db import connection
    from django.utils import timezone

    from staffroom.core.jobs import job_run
    from staffroom.core.models import Job, JobStatus

    def run_commit_callbacks() -> None:
        while connection.run_on_commit:
            # (savepoint ids, callback, robust); django-stubs still describes a pair.
            entry: tuple[Any, ...] = connection.run_on_commit.pop(0)
            _, callback, robust = entry
            try:
                callback()
            except Exception:
                if not robust:
                    raise

    def run(*, max_rounds: int = 20) -> int:
        ran = 0
        for _ in range(max_rounds):
            run_commit_callbacks()
            due = Job.objects.filter(status=JobStatus.PENDING, run_after__lte=timezone.now())
            ids = list(due.order_by("run_after", "pk").values_list("pk", flat=True))
            if not ids:
                return ran
            ran += sum(job_run(job_id=job_id) for job_id in ids)
        pytest.fail(f"jobs were still being enqueued after {max_rounds} rounds")

    return run
