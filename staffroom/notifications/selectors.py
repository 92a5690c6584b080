"""Reading a teacher's notifications: pages with Mastodon's filters, one by id, the unread
count, groups for /api/v2/notifications, and the summary of what came while away.

Every read is the viewer's own: another teacher's notification id answers 404 like an
unknown one. What a notification is about is re-checked when read: a post the viewer may
no longer see (blocked since, made private, removed by a moderator) leaves its
notification out, as does an account no longer in good standing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from staffroom.core.exceptions import NotFound
from staffroom.core.ids import id_or_not_found
from staffroom.graph.models import Mute
from staffroom.graph.selectors import blocked_either_way_q, paginate
from staffroom.notifications.models import (
    Notification,
    NotificationKind,
    NotificationPreferences,
)
from staffroom.posts.selectors import visible_among
from staffroom.profiles.models import Profile, good_standing_q
from staffroom.timelines.models import Marker, MarkerTimeline

NOT_FOUND = "Record not found"
KINDS = frozenset(NotificationKind.values)


def known_kinds(names: Collection[str]) -> list[str]:
    """The names that are notification kinds; Mastodon ignores unknown ones in filters."""
    return [name for name in names if name in KINDS]


def _own(viewer: Profile) -> QuerySet[Notification]:
    """The viewer's notifications from accounts in good standing that the viewer has not
    blocked (or been blocked by), nor muted with notifications hidden, since: the rules stop
    new ones being written, and this hides the ones written before, in every reader (list,
    unread count, e-mail)."""
    now = timezone.now()
    muted = Mute.objects.filter(muter=viewer, hide_notifications=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )
    return (
        Notification.objects.filter(recipient=viewer)
        .filter(good_standing_q("account__"))
        .exclude(blocked_either_way_q(viewer, "account"))
        .exclude(account_id__in=muted.values("muted_id"))
    )


def readable_notifications(viewer: Profile) -> QuerySet[Notification]:
    """Every notification the viewer may read (unpaged; for exports and digests). Posts
    are re-checked by the caller with `visible_among`, as the pages do."""
    return _own(viewer)


def _readable(viewer: Profile, notifications: list[Notification]) -> list[Notification]:
    """Leave out notifications about posts the viewer may no longer see."""
    ids = [n.status_id for n in notifications if n.status_id is not None]
    visible = visible_among(viewer, ids) if ids else {}
    kept = []
    for notification in notifications:
        if notification.status_id is None:
            kept.append(notification)
        elif notification.status_id in visible:
            notification.status = visible[notification.status_id]
            kept.append(notification)
    return kept


def notifications_for(
    viewer: Profile,
    *,
    types: Collection[str] = (),
    exclude_types: Collection[str] = (),
    account_id: int | None = None,
    limit: int = 40,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
) -> list[Notification]:
    """Newest first, with Mastodon's `types[]` / `exclude_types[]` (unknown names ignored;
    `types[]` of only unknown names finds nothing) and `account_id`."""
    rows = _own(viewer).select_related("account__user")
    if types:
        rows = rows.filter(kind__in=known_kinds(types))
    if exclude_types:
        rows = rows.exclude(kind__in=known_kinds(exclude_types))
    if account_id is not None:
        rows = rows.filter(account_id=account_id)
    page = paginate(rows, limit=limit, max_id=max_id, since_id=since_id, min_id=min_id)
    return _readable(viewer, page)


def notification_get(viewer: Profile, notification_id: object) -> Notification:
    found = (
        _own(viewer)
        .select_related("account__user")
        .filter(pk=id_or_not_found(notification_id))
        .first()
    )
    readable = _readable(viewer, [found]) if found is not None else []
    if not readable:
        raise NotFound(NOT_FOUND)
    return readable[0]


def read_position(viewer: Profile) -> int:
    """The id of the last notification the teacher read (Mastodon's notifications marker)."""
    marker = Marker.objects.filter(owner=viewer, timeline=MarkerTimeline.NOTIFICATIONS).first()
    if marker is None:
        return 0
    try:
        return int(marker.last_read_id)
    except ValueError:
        return 0


UNREAD_COUNT_MAX = 1000


def unread_count(viewer: Profile) -> int:
    """Notifications newer than the read position, except what came while away (counted
    up to UNREAD_COUNT_MAX, as Mastodon caps it). Nothing while the teacher is away."""
    if viewer.is_away:
        return 0
    unread = _own(viewer).filter(pk__gt=read_position(viewer), while_away=False)
    return unread[:UNREAD_COUNT_MAX].count()


@dataclass(frozen=True)
class Group:
    """One entry of /api/v2/notifications: notifications sharing a group key."""

    key: str
    kind: str
    latest: Notification
    count: int
    sample_accounts: list[Profile]
    oldest_id: int


GROUP_SAMPLE = 8


def grouped(notifications: list[Notification]) -> list[Group]:
    """Group a page (newest first) by group key, in the order each group first appears."""
    order: list[str] = []
    members: dict[str, list[Notification]] = {}
    for notification in notifications:
        if notification.group_key not in members:
            order.append(notification.group_key)
            members[notification.group_key] = []
        members[notification.group_key].append(notification)
    groups = []
    for key in order:
        rows = members[key]
        accounts = list({n.account_id: n.account for n in rows}.values())
        groups.append(
            Group(
                key=key,
                kind=rows[0].kind,
                latest=rows[0],
                count=len(rows),
                sample_accounts=accounts[:GROUP_SAMPLE],
                oldest_id=rows[-1].pk,
            )
        )
    return groups


def preferences_of(viewer: Profile) -> NotificationPreferences:
    """The teacher's preferences (defaults, unsaved, when never set)."""
    found = NotificationPreferences.objects.filter(owner=viewer).first()
    return found or NotificationPreferences(owner=viewer)


def away_summary(viewer: Profile) -> dict[str, int]:
    """What came while the teacher was away and not yet summarised: a count per kind. Empty
    while they are still away (nothing is pushed to them) or when there is nothing new."""
    if viewer.is_away:
        return {}
    seen_at = preferences_of(viewer).away_summary_seen_at
    rows = _own(viewer).filter(while_away=True)
    if seen_at is not None:
        rows = rows.filter(created_at__gt=seen_at)
    return dict(Counter(rows.values_list("kind", flat=True)))
