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

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from staffroom.core.exceptions import NotFound
from staffroom.core.ids import ascii_digits, id_or_not_found
from staffroom.graph.models import Mute
from staffroom.graph.selectors import blocked_either_way_q, paginate
from staffroom.notifications.models import (
    Notification,
    NotificationKind,
    NotificationPolicy,
    NotificationPreferences,
    NotificationRequest,
)
from staffroom.posts.selectors import visible_among
from staffroom.profiles.models import Profile, good_standing_q
from staffroom.timelines.models import Marker, MarkerTimeline

NOT_FOUND = "Record not found"
KINDS = frozenset(NotificationKind.values)


def known_kinds(names: Collection[str]) -> list[str]:
    """The names that are notification kinds; Mastodon ignores unknown ones in filters."""
    return [name for name in names if name in KINDS]


def _muted_for_notifications(viewer: Profile) -> QuerySet[Mute]:
    now = timezone.now()
    return Mute.objects.filter(muter=viewer, hide_notifications=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


def _own(viewer: Profile, *, include_filtered: bool = False) -> QuerySet[Notification]:
    """The viewer's notifications from accounts in good standing that the viewer has not
    blocked (or been blocked by), nor muted with notifications hidden, since: the rules stop
    new ones being written, and this hides the ones written before, in every reader (list,
    unread count, e-mail). Those the viewer's policy put aside (`filtered`) are left out
    unless `include_filtered` (Mastodon's `include_filtered=true`)."""
    rows = (
        Notification.objects.filter(recipient=viewer)
        .filter(good_standing_q("account__"))
        .exclude(blocked_either_way_q(viewer, "account"))
        .exclude(account_id__in=_muted_for_notifications(viewer).values("muted_id"))
    )
    return rows if include_filtered else rows.filter(filtered=False)


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
    include_filtered: bool = False,
) -> list[Notification]:
    """Newest first, with Mastodon's `types[]` / `exclude_types[]` (unknown names ignored;
    `types[]` of only unknown names finds nothing), `account_id` and `include_filtered`."""
    rows = _own(viewer, include_filtered=include_filtered).select_related("account__user")
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


# Notification filtering (Mastodon 4.3): the policy, the requests and their notifications.


def policy_of(viewer: Profile) -> NotificationPolicy:
    """The teacher's notification policy (Mastodon's defaults, unsaved, when never set)."""
    found = NotificationPolicy.objects.filter(owner=viewer).first()
    return found or NotificationPolicy(owner=viewer)


def _requests(viewer: Profile) -> QuerySet[NotificationRequest]:
    """The viewer's requests that still hold notifications, each annotated with
    `notifications_count`; none from an account no longer in good standing, nor from one
    the viewer blocked, was blocked by or muted with notifications hidden since."""
    held = (
        Notification.objects.filter(
            recipient=viewer, filtered=True, account_id=OuterRef("account_id")
        )
        .order_by()
        .values("account_id")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return (
        NotificationRequest.objects.filter(recipient=viewer)
        .filter(good_standing_q("account__"))
        .exclude(blocked_either_way_q(viewer, "account"))
        .exclude(account_id__in=_muted_for_notifications(viewer).values("muted_id"))
        .annotate(notifications_count=Coalesce(Subquery(held, output_field=IntegerField()), 0))
        .filter(notifications_count__gt=0)
    )


def _with_visible_last_status(
    viewer: Profile, requests: list[NotificationRequest]
) -> list[NotificationRequest]:
    """Forget a request's latest post when the viewer may no longer see it."""
    ids = [request.last_status_id for request in requests if request.last_status_id]
    visible = visible_among(viewer, ids) if ids else {}
    for request in requests:
        if request.last_status_id is not None:
            found = visible.get(request.last_status_id)
            request.last_status = found
            if found is None:
                request.last_status_id = None
    return requests


def requests_for(
    viewer: Profile,
    *,
    limit: int = 40,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
) -> list[NotificationRequest]:
    """The viewer's notification requests, newest first, with Mastodon's id pagination."""
    rows = _requests(viewer).select_related("account__user")
    page = paginate(rows, limit=limit, max_id=max_id, since_id=since_id, min_id=min_id)
    return _with_visible_last_status(viewer, page)


def request_get(viewer: Profile, request_id: object) -> NotificationRequest:
    """One of the viewer's requests; another's or an unknown id is a 404."""
    found = (
        _requests(viewer)
        .select_related("account__user")
        .filter(pk=id_or_not_found(request_id))
        .first()
    )
    if found is None:
        raise NotFound(NOT_FOUND)
    return _with_visible_last_status(viewer, [found])[0]


def request_notifications(
    viewer: Profile, request: NotificationRequest, *, limit: int = 40
) -> list[Notification]:
    """The notifications a request holds, newest first (posts re-checked as on the list)."""
    rows = (
        Notification.objects.filter(recipient=viewer, account_id=request.account_id, filtered=True)
        .select_related("account__user")
        .order_by("-pk")[:limit]
    )
    return _readable(viewer, list(rows))


@dataclass(frozen=True)
class PolicySummary:
    """How many requests wait, and how many notifications they hold."""

    pending_requests_count: int
    pending_notifications_count: int


def policy_summary(viewer: Profile) -> PolicySummary:
    counts = [int(getattr(row, "notifications_count", 0)) for row in _requests(viewer).only("pk")]
    return PolicySummary(
        pending_requests_count=len(counts), pending_notifications_count=sum(counts)
    )


GROUP_READ_MAX = 80
UNGROUPED_PREFIX = "ungrouped-"
GROUP_KEY_MAX = 200


def group_rows(viewer: Profile, group_key: str) -> QuerySet[Notification]:
    """The viewer's readable notifications of one group (Mastodon 4.3's `group_key`): an
    `ungrouped-<id>` key names one notification, any other the stored key."""
    rows = _own(viewer)
    # Keys are ASCII we made: anything else (a NUL byte PostgreSQL refuses, an id past 64
    # bits) names no group, rather than reaching the database.
    if not group_key.isascii() or "\x00" in group_key or len(group_key) > GROUP_KEY_MAX:
        return rows.none()
    if group_key.startswith(UNGROUPED_PREFIX):
        number = group_key.removeprefix(UNGROUPED_PREFIX)
        if not ascii_digits(number) or len(number) > 19 or int(number) >= 2**63:
            return rows.none()
        return rows.filter(pk=int(number))
    return rows.filter(group_key=group_key)


def group_get(viewer: Profile, group_key: str) -> Group:
    """One group, whole: its count over all its notifications, its latest, and up to eight
    of its accounts. A key the viewer has nothing of is a 404."""
    rows = _readable(
        viewer,
        list(
            group_rows(viewer, group_key)
            .select_related("account__user")
            .order_by("-pk")[:GROUP_READ_MAX]
        ),
    )
    if not rows:
        raise NotFound(NOT_FOUND)
    total = group_rows(viewer, group_key).count()
    found = grouped(rows)[0]
    return Group(
        key=group_key,
        kind=found.kind,
        latest=found.latest,
        count=max(total, found.count),
        sample_accounts=found.sample_accounts,
        oldest_id=found.oldest_id,
    )


def group_accounts(viewer: Profile, group_key: str) -> list[Profile]:
    """The accounts of a group, newest first, each once (at most GROUP_READ_MAX)."""
    rows = _readable(
        viewer,
        list(
            group_rows(viewer, group_key)
            .select_related("account__user")
            .order_by("-pk")[:GROUP_READ_MAX]
        ),
    )
    if not rows:
        raise NotFound(NOT_FOUND)
    return list({row.account_id: row.account for row in rows}.values())
