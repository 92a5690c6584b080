"""The periodic job that rebuilds the graph-wide feature snapshot (`snapshot.py`)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from staffroom.core.jobs import job
from staffroom.core.scheduler import periodic
from staffroom.recommendations.snapshot import snapshot_build


@periodic(
    every=timedelta(minutes=settings.STAFFROOM_SUGGESTIONS_REFRESH_MINUTES),
    name="recommendations.snapshot",
)
@job(max_attempts=3)
def recommendations_snapshot() -> None:
    """Re-read the whole follow graph, profiles, lists and recent activity into a new
    snapshot. Per-teacher changes never wait for this: requests read them live."""
    snapshot_build()
