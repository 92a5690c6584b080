"""`/api/v1/notifications`: a teacher's notifications, newest first, one entry each
(Mastodon's Notification), with Mastodon's filters and Link header; one by id; dismissing
one or all; and the unread count (Mastodon 4.3).

Another teacher's notification id answers 404 exactly like an unknown one, on every route;
notifications from accounts the viewer blocked, was blocked by, or muted with
notifications hidden are left out everywhere."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from staffroom.core.api.auth import TokenAuth
from staffroom.core.api.entities import EmptyEntity
from staffroom.core.api.pagination import lenient_limit, set_link_header
from staffroom.core.api.prebuilt import prebuilt_json
from staffroom.notifications.api._common import (
    UNREAD_LIMIT_DEFAULT,
    UNREAD_LIMIT_MAX,
    filters_of,
    notification_page,
)
from staffroom.notifications.api.entities import UnreadCountEntity, notification_entities
from staffroom.notifications.api.schemas import (
    Notification,
    NotificationsQuery,
    UnreadCount,
    UnreadCountQuery,
)
from staffroom.notifications.api.unread import unread_notifications
from staffroom.notifications.selectors import notification_get
from staffroom.notifications.services import notification_dismiss, notifications_clear
from staffroom.profiles.selectors import own_profile

router = Router(tags=["notifications"])


@router.get(
    "",
    response=list[Notification],
    auth=TokenAuth("read:notifications"),
    exclude_unset=True,
    summary="Your notifications, newest first (`types[]`, `exclude_types[]`, `account_id`; "
    "Link header)",
)
def notification_list(
    request: HttpRequest, response: HttpResponse, query: Query[NotificationsQuery]
) -> HttpResponse:
    """A notification about a post the viewer may no longer see is left out."""
    viewer = own_profile(request)
    page = notification_page(viewer, query)
    set_link_header(request, response, [notification.pk for notification in page])
    return prebuilt_json(response, notification_entities(page, viewer, request))


# The routes after the list, mounted after the specific ones (see `api/__init__.py`).
more_router = Router(tags=["notifications"])


@more_router.get(
    "/unread_count",
    response=UnreadCount,
    auth=TokenAuth("read:notifications"),
    summary="How many notifications are newer than your notifications marker "
    "(`limit`, default 100, at most 1000)",
)
def unread_count(request: HttpRequest, query: Query[UnreadCountQuery]) -> UnreadCountEntity:
    """0 while the teacher is away: what comes then is told in the away summary instead,
    and never counts here. Saving the notifications marker (`POST /api/v1/markers`) moves
    the count."""
    viewer = own_profile(request)
    filters = filters_of(query.types, query.exclude_types, query.account_id)
    limit = lenient_limit(query.limit, default=UNREAD_LIMIT_DEFAULT, maximum=UNREAD_LIMIT_MAX)
    return {"count": unread_notifications(viewer, filters, limit=limit)}


@more_router.post(
    "/clear",
    response=dict[str, Any],
    auth=TokenAuth("write:notifications"),
    summary="Dismiss all your notifications",
)
def notification_clear(request: HttpRequest) -> EmptyEntity:
    notifications_clear(own_profile(request))
    return {}


@more_router.get(
    "/{id}",
    response=Notification,
    auth=TokenAuth("read:notifications"),
    exclude_unset=True,
    summary="One of your notifications",
)
def notification_detail(request: HttpRequest, response: HttpResponse, id: str) -> HttpResponse:
    viewer = own_profile(request)
    found = notification_get(viewer, id)  # 404 for another's, unknown, or silenced since
    return prebuilt_json(
        response, notification_entities([found], viewer, request, hide_filtered=False)[0]
    )


@more_router.post(
    "/{id}/dismiss",
    response=dict[str, Any],
    auth=TokenAuth("write:notifications"),
    summary="Dismiss one of your notifications",
)
def notification_dismiss_one(request: HttpRequest, id: str) -> EmptyEntity:
    notification_dismiss(own_profile(request), id)
    return {}
