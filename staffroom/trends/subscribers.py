"""What trends does when posts change: store a new or edited post's links, drop a post a
moderator removed from the stored trends at once, and read the links of posts a bulk load
wrote. A deleted post's rows go with it (foreign keys)."""

from __future__ import annotations

from staffroom.core.events import BulkLoaded, StatusCreated, StatusEdited, StatusRemoved, subscriber
from staffroom.trends.services import (
    recent_links_record,
    status_links_record,
    trends_forget_status,
)


@subscriber(StatusCreated)
def record_links(event: StatusCreated) -> None:
    if event.reblog_of_id is None:
        status_links_record(status_id=event.status_id)


@subscriber(StatusEdited)
def rerecord_links(event: StatusEdited) -> None:
    status_links_record(status_id=event.status_id)


@subscriber(StatusRemoved)
def forget_removed_status(event: StatusRemoved) -> None:
    trends_forget_status(status_id=event.status_id)


@subscriber(BulkLoaded)
def record_links_after_bulk_load(event: BulkLoaded) -> None:
    if "posts.Status" in event.models:
        recent_links_record()
