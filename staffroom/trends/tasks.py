"""The trends computation, every ten minutes."""

from __future__ import annotations

from datetime import timedelta

from staffroom.core.jobs import job
from staffroom.core.scheduler import periodic
from staffroom.trends.services import trends_prune, trends_refresh


@periodic(every=timedelta(minutes=10), name="trends.refresh")
@job(max_attempts=3)
def trends_refresh_task() -> None:
    """Recompute the trending hashtags, links and posts, and drop post links that fell out
    of the window."""
    trends_refresh()
    trends_prune()
