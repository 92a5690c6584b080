"""The polls' periodic job: end the polls whose time ran out (`polls_end_due`)."""

from __future__ import annotations

from datetime import timedelta

from staffroom.core.jobs import job
from staffroom.core.scheduler import periodic
from staffroom.polls.services import polls_end_due


@periodic(every=timedelta(minutes=1), name="polls.end")
@job(max_attempts=3)
def polls_end_task() -> None:
    """Tell the voters and author of each poll that ended since the last run, once
    (PollEnded; the notifications app writes the `poll` notifications)."""
    polls_end_due()
