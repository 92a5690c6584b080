"""Several workers publishing at once publish each scheduled post once (PostgreSQL: real
concurrent transactions; SQLite serialises writers, and the stale-reader case is in
test_services.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from staffroom.posts.models import Status
from staffroom.posts.services import PostText
from staffroom.scheduling.models import ScheduledStatus
from staffroom.scheduling.services import scheduled_status_create, scheduled_statuses_publish_due
from tests.factories import make_profiles
from tests.graph.test_concurrency import _in_threads

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent writers: run with DATABASE_URL=postgres://...",
    ),
]


def test_concurrent_publishing_runs_publish_each_post_once():
    """SECURITY-PLAN DB-5."""
    authors = make_profiles(4, "teacher")
    for author in authors:
        for number in range(3):
            scheduled_status_create(
                author=author,
                scheduled_at=timezone.now() + timedelta(minutes=10),
                draft=PostText(text=f"Post {number}"),
                visibility="public",
            )
    later = timezone.now() + timedelta(minutes=11)

    errors = _in_threads([lambda: scheduled_statuses_publish_due(now=later) for _ in range(6)])

    assert errors == []
    assert Status.objects.count() == 12
    assert not ScheduledStatus.objects.exists()
