"""Which domain events notify someone (`core/events.py`). Each enqueues a job of
`tasks.py` in the emitting transaction; the job runs after commit and re-reads the rows,
so a rolled-back write notifies nobody and an undone one (a post deleted, a follow ended
before the job ran) notifies nobody either."""

from __future__ import annotations

from staffroom.core.events import (
    ConnectionAccepted,
    ConnectionAsked,
    FavouriteCreated,
    FollowCreated,
    FollowRequested,
    PollEnded,
    ReportResolved,
    StatusCreated,
    subscriber,
)
from staffroom.core.jobs import enqueue
from staffroom.notifications import tasks


@subscriber(FollowCreated)
def notify_followee(event: FollowCreated) -> None:
    if not event.is_quiet:
        enqueue(tasks.notify_follow, follow_id=event.follow_id)


@subscriber(FollowRequested)
def notify_requested(event: FollowRequested) -> None:
    if not event.is_quiet:
        enqueue(tasks.notify_follow_request, request_id=event.request_id)


@subscriber(ConnectionAsked, ConnectionAccepted)
def notify_connection(event: ConnectionAsked | ConnectionAccepted) -> None:
    """An ask and an acceptance each tell someone; the job reads the state it finds."""
    enqueue(tasks.notify_connection, connection_id=event.connection_id)


@subscriber(FavouriteCreated)
def notify_favourited(event: FavouriteCreated) -> None:
    enqueue(tasks.notify_favourite, favourite_id=event.favourite_id)


@subscriber(StatusCreated)
def notify_about_status(event: StatusCreated) -> None:
    enqueue(tasks.notify_status, status_id=event.status_id)


@subscriber(ReportResolved)
def notify_reporter(event: ReportResolved) -> None:
    if event.reporter_id is not None:
        enqueue(tasks.notify_report_resolved, report_id=event.report_id)


@subscriber(PollEnded)
def notify_poll_ended(event: PollEnded) -> None:
    enqueue(tasks.notify_poll_ended, poll_id=event.poll_id)
