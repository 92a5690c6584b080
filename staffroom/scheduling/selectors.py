"""Reading scheduled posts: only their author ever sees them."""

from __future__ import annotations

from collections import defaultdict

from staffroom.core.exceptions import NOT_FOUND, NotFound
from staffroom.core.ids import parse_snowflake
from staffroom.graph.selectors import paginate
from staffroom.media.models import MediaAttachment
from staffroom.profiles.models import Profile
from staffroom.scheduling.models import ScheduledStatus, ScheduledStatusMedia


def scheduled_status_get(owner: Profile, scheduled_status_id: object) -> ScheduledStatus:
    """The owner's scheduled post; NotFound ("Record not found") for another account's, an
    unknown or a malformed id alike."""
    pk = parse_snowflake(
        scheduled_status_id if isinstance(scheduled_status_id, str | int) else None
    )
    row = ScheduledStatus.objects.filter(account=owner, pk=pk).first() if pk else None
    if row is None:
        raise NotFound(NOT_FOUND)
    return row


def scheduled_statuses_list(
    owner: Profile,
    *,
    limit: int = 20,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
) -> list[ScheduledStatus]:
    """The owner's scheduled posts, newest scheduling first, paged by id (Mastodon's Link
    header cursors). One query."""
    rows = ScheduledStatus.objects.filter(account=owner)
    return paginate(rows, limit=limit, max_id=max_id, since_id=since_id, min_id=min_id)


def scheduled_statuses_by_time(owner: Profile, *, limit: int) -> list[ScheduledStatus]:
    """The owner's scheduled posts, the next to be published first (the web page)."""
    return list(
        ScheduledStatus.objects.filter(account=owner).order_by("scheduled_at", "id")[:limit]
    )


def scheduled_media(rows: list[ScheduledStatus]) -> dict[int, list[MediaAttachment]]:
    """The uploads each scheduled post holds, in the order it names them. One query."""
    links = ScheduledStatusMedia.objects.filter(scheduled_status__in=rows).select_related("media")
    held: dict[int, dict[int, MediaAttachment]] = defaultdict(dict)
    for link in links:
        held[link.scheduled_status_id][link.media_id] = link.media
    found: dict[int, list[MediaAttachment]] = {}
    for row in rows:
        mine = held.get(row.pk, {})
        order = [int(pk) for pk in row.params.get("media_ids") or []]
        found[row.pk] = [mine[pk] for pk in order if pk in mine]
    return found
