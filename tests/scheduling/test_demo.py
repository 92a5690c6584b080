"""The demo account has scheduled posts waiting, in the shape the API and page read."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from staffroom.profiles.models import Profile
from staffroom.scheduling.entities import scheduled_status_entities
from staffroom.scheduling.models import ScheduledStatus


@pytest.mark.django_db
def test_the_demo_account_has_scheduled_posts_waiting():
    call_command("demo", "--users", "12", "--seed", "3")
    demo = Profile.objects.get(handle="demo")
    rows = list(ScheduledStatus.objects.filter(account=demo))
    assert len(rows) == 2
    assert all(row.scheduled_at > timezone.now() for row in rows)
    entities = scheduled_status_entities(rows)
    assert {entity["params"]["visibility"] for entity in entities} == {"public", "private"}
