"""Counting unread notifications with Mastodon 4.3's filters.

`selectors.unread_count` takes no filters, so the count is made here with its rule: nothing
while the teacher is away; only notifications newer than the notifications marker
(`selectors.read_position`) and not written while away; only from accounts in good
standing; and, as the pages, none from an account the viewer blocked or muted since
(`selectors.readable_notifications`)."""

from __future__ import annotations

from django.db.models import QuerySet

from staffroom.notifications.api._common import Filters, group_kinds
from staffroom.notifications.models import Notification
from staffroom.notifications.selectors import known_kinds, read_position, readable_notifications
from staffroom.profiles.models import Profile


def _unread(viewer: Profile, filters: Filters) -> QuerySet[Notification]:
    rows = readable_notifications(viewer).filter(pk__gt=read_position(viewer), while_away=False)
    if filters.types:
        rows = rows.filter(kind__in=known_kinds(filters.types))
    if filters.exclude_types:
        rows = rows.exclude(kind__in=known_kinds(filters.exclude_types))
    if filters.account_id is not None:
        rows = rows.filter(account_id=filters.account_id)
    return rows


def unread_notifications(viewer: Profile, filters: Filters, *, limit: int) -> int:
    """Unread notifications, counted up to `limit`."""
    if viewer.is_away:
        return 0
    return _unread(viewer, filters)[:limit].count()


def unread_groups(
    viewer: Profile, filters: Filters, *, limit: int, grouped_types: list[str]
) -> int:
    """Unread groups, counted up to `limit`: each notification of a kind that does not
    group counts alone, the others once per group key. `grouped_types` narrows the kinds
    that group (all of GROUPED_KINDS when empty)."""
    if viewer.is_away:
        return 0
    grouping = group_kinds(grouped_types)
    rows = _unread(viewer, filters)
    alone = rows.exclude(kind__in=grouping)[:limit].count()
    if alone >= limit:
        return limit
    together = (
        rows.filter(kind__in=grouping).values("group_key").distinct()[: limit - alone].count()
    )
    return alone + together
