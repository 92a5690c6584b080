"""Background work for stored feeds: fan-out of a new post, backfill after a follow, a
followed hashtag or a list addition, and the trim that keeps each feed at FEED_ROWS_MAX rows."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count

from staffroom.core.jobs import job
from staffroom.core.scheduler import periodic
from staffroom.posts.models import Status
from staffroom.timelines import fanout
from staffroom.timelines.models import FEED_ROWS_MAX, FeedEntry

# A new follow brings this many of the followee's recent posts into the home feed.
BACKFILL_POSTS = 40
# Following a hashtag brings this many of its recent public posts (Mastodon brings none).
TAG_BACKFILL_POSTS = 20


@job(max_attempts=8)
def status_fan_out(*, status_id: int) -> None:
    """Put a new post in every feed of its audience (nothing if it was deleted since)."""
    status = Status.objects.select_related("account", "reblog_of").filter(pk=status_id).first()
    if status is not None:
        fanout.fan_out(status)


@job(max_attempts=5)
def feed_backfill(*, owner_id: int, author_id: int, list_id: int | None = None) -> None:
    """Bring `author_id`'s recent posts that `owner_id` may see into their home feed (or
    into list `list_id`)."""
    fanout.backfill(owner_id=owner_id, author_id=author_id, list_id=list_id, count=BACKFILL_POSTS)


@job(max_attempts=5)
def feed_backfill_tag(*, owner_id: int, tag_id: int) -> None:
    """Bring a followed hashtag's recent public posts that `owner_id` may see into their
    home feed."""
    fanout.backfill_tag(owner_id=owner_id, tag_id=tag_id, count=TAG_BACKFILL_POSTS)


@periodic(every=timedelta(minutes=10), name="timelines.trim")
@job(max_attempts=3)
def feeds_trim() -> None:
    """Keep each stored feed to its newest FEED_ROWS_MAX rows; deeper pages are answered by
    a direct query (timelines/selectors.py)."""
    overfull = (
        FeedEntry.objects.values("owner_id", "list_id")
        .annotate(rows=Count("id"))
        .filter(rows__gt=FEED_ROWS_MAX)
    )
    for feed in overfull:
        entries = FeedEntry.objects.filter(owner_id=feed["owner_id"], list_id=feed["list_id"])
        cutoff = (
            entries.order_by("-status_id").values_list("status_id", flat=True)[FEED_ROWS_MAX:]
        ).first()
        if cutoff is not None:
            entries.filter(status_id__lte=cutoff).delete()
