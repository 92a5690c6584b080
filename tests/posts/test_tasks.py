"""The posts' periodic job: idempotency keys are forgotten after their hour."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.utils import timezone

from staffroom.core.scheduler import periodic_discover, periodic_list, scheduler_tick
from staffroom.posts.models import IdempotencyKey, Status
from staffroom.posts.services import PostText, status_create
from staffroom.posts.tasks import idempotency_keys_prune_task


def _entry():
    periodic_discover()
    return next(e for e in periodic_list() if e.name == "posts.idempotency-keys-prune")


def test_idempotency_keys_prune_is_scheduled_hourly():
    entry = _entry()
    assert entry.every == timedelta(hours=1)
    assert entry.job_function.path == idempotency_keys_prune_task.path


def test_idempotency_keys_prune_task_forgets_keys_older_than_an_hour(ada, run_jobs):
    start = timezone.now()
    with time_machine.travel(start - timedelta(minutes=61)):
        old = status_create(author=ada, draft=PostText("old"), idempotency_key="k-old")
    with time_machine.travel(start - timedelta(minutes=59)):
        recent = status_create(author=ada, draft=PostText("recent"), idempotency_key="k-new")
    run_jobs()  # the posts' own fan-out into feeds
    with time_machine.travel(start):
        assert scheduler_tick(entries=[_entry()]) == ["posts.idempotency-keys-prune"]
        assert run_jobs() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["k-new"]
    # The posts stay; only the keys go. The same key may now make a new post.
    assert set(Status.objects.values_list("pk", flat=True)) == {old.pk, recent.pk}
    again = status_create(author=ada, draft=PostText("old"), idempotency_key="k-old")
    assert again.pk != old.pk
    # Running it again changes nothing.
    idempotency_keys_prune_task()
    assert set(IdempotencyKey.objects.values_list("key", flat=True)) == {"k-new", "k-old"}
