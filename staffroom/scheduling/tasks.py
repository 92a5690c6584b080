"""The publishing job of scheduled posts."""

from __future__ import annotations

from datetime import timedelta

from staffroom.core.jobs import job
from staffroom.core.scheduler import periodic
from staffroom.scheduling.services import scheduled_statuses_publish_due


@periodic(every=timedelta(seconds=30), name="scheduling.publish-due")
@job(max_attempts=1)
def scheduled_statuses_publish_task() -> None:
    """Publish the scheduled posts that are due, each once (idempotent: a published row is
    gone). A failed run is made up by the next one, 30 seconds later, so no retries."""
    scheduled_statuses_publish_due()
