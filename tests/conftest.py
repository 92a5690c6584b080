"""Fixtures shared by the whole suite."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from staffroom.accounts.models import StaffRole, User
from staffroom.core.jobs import job_run
from staffroom.core.models import Job, JobStatus
from staffroom.posts.models import Status
from staffroom.profiles.models import Profile
from tests.factories import make_post, make_profile, make_staff, make_user

T = TypeVar("T")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters in the cache must not leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user(db) -> User:
    return make_user(handle="ada")


# --- Teachers (profiles, the parties of the graph and the authors of posts) --------------------


@pytest.fixture
def ada(db) -> Profile:
    return make_profile("ada")


@pytest.fixture
def bo(db) -> Profile:
    return make_profile("bo")


@pytest.fixture
def cy(db) -> Profile:
    return make_profile("cy")


@pytest.fixture
def stranger(db) -> Profile:
    return make_profile("stranger")


@pytest.fixture
def locked(db) -> Profile:
    return make_profile("lockedlee", locked=True)


@pytest.fixture
def post() -> Callable[..., Status]:
    """`post(author, "text", visibility="followers", in_reply_to=status)` (`make_post`)."""
    return make_post


@pytest.fixture
def publish(run_jobs) -> Callable[..., Status]:
    """`publish(author, "text", visibility="followers")`: post, then run the fan-out jobs."""

    def make(author: Profile, text: str = "Hello staffroom", **options: Any) -> Status:
        status = make_post(author, text, **options)
        run_jobs()
        return status

    return make


# --- Staff ----------------------------------------------------------------------------------


@pytest.fixture
def owner(db) -> User:
    return make_user(handle="headteacher", is_superuser=True, is_staff=True)


@pytest.fixture
def admin(db) -> User:
    return make_staff("principal", StaffRole.ADMIN)


@pytest.fixture
def moderator(db) -> User:
    return make_staff("modmo", StaffRole.MODERATOR)


# --- Rows built once for a whole module -------------------------------------------------------


@dataclass
class Shared(Generic[T]):
    """What a module-scoped fixture built with `built_once`, and the on-commit callbacks the
    build left pending."""

    value: T
    pending: list[tuple[Any, ...]]

    def for_test(self) -> T:
        """For one test: the callbacks pending again (a test that runs them, with
        `run_jobs`, takes them away) and its own copy of what the build returned, so each
        test starts as if it had built everything itself."""
        connection.run_on_commit[:] = self.pending
        return copy.deepcopy(self.value)


def built_once(django_db_blocker: Any, build: Callable[[], T]) -> Iterator[Shared[T]]:
    """For a module-scoped fixture (which also asks for `django_db_setup`): run `build()`
    once, in a transaction that stays open while the module's tests run and is rolled back
    after the last one. pytest-django runs each test in a savepoint inside it, so what a
    test writes is undone as usual and the next test finds the rows `build()` wrote.

        @pytest.fixture(scope="module")
        def built(django_db_setup, django_db_blocker):
            yield from built_once(django_db_blocker, lambda: build_demo(users=60, seed=5))

        @pytest.fixture
        def community(built, db):
            return built.for_test()

    Only for tests that use `db` (not `transactional_db` or `live_server`). The rows stay
    until the module's last test has run, whether or not the tests in between ask for the
    fixture: a test of the same module that needs a database without them goes before the
    first test that does.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            value = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
        pending = list(connection.run_on_commit)
    try:
        yield Shared(value, pending)
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


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
