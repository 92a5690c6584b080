"""`/api/v2/notifications`: Mastodon 4.3's grouped notifications (many favourites or
reshares of one post, a day's new followers, read as one entry) and their unread count.

The same filters, pagination and privacy as `/api/v1/notifications`: a page is a page of
notifications (at most `limit`), grouped; a group may continue on the next page, with the
same `group_key`, as Mastodon's do. The Link header pages by notification id.

One group by its key (`/:group_key`), its accounts and its dismissal follow Mastodon 4.3:
an `ungrouped-<id>` key names one notification; a key the viewer has nothing of is a 404.
The specific routes (`unread_count`, and `policy` mounted before this router) come first,
so they are never read as a group key."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from staffroom.core.api.auth import TokenAuth
from staffroom.core.api.entities import EmptyEntity
from staffroom.core.api.pagination import lenient_limit, set_link_header
from staffroom.core.api.prebuilt import prebuilt_json
from staffroom.mastodon_api.entities import Account
from staffroom.notifications.api._common import (
    UNREAD_LIMIT_DEFAULT,
    UNREAD_LIMIT_MAX,
    filters_of,
    group_kinds,
    notification_page,
)
from staffroom.notifications.api.entities import (
    UnreadCountEntity,
    account_map,
    group_results,
    grouped_results,
    ungroup_others,
)
from staffroom.notifications.api.schemas import (
    GroupedNotificationsQuery,
    GroupedNotificationsResults,
    GroupedUnreadCountQuery,
    UnreadCount,
)
from staffroom.notifications.api.unread import unread_groups
from staffroom.notifications.selectors import group_accounts, group_get
from staffroom.notifications.services import group_dismiss
from staffroom.profiles.selectors import own_profile

router = Router(tags=["notifications"])


@router.get(
    "",
    response=GroupedNotificationsResults,
    auth=TokenAuth("read:notifications"),
    exclude_unset=True,
    summary="Your notifications grouped, newest first (`grouped_types[]`, the v1 filters; "
    "Link header)",
)
def grouped_list(
    request: HttpRequest, response: HttpResponse, query: Query[GroupedNotificationsQuery]
) -> HttpResponse:
    """`grouped_types[]` narrows which kinds group (favourite, reblog and follow when
    absent); every other notification is a group of its own."""
    viewer = own_profile(request)
    page = notification_page(viewer, query)
    set_link_header(request, response, [notification.pk for notification in page])
    ungroup_others(page, group_kinds(query.grouped_types))
    return prebuilt_json(response, grouped_results(page, viewer, request))


# The routes after the list, mounted after the specific ones (see `api/__init__.py`).
more_router = Router(tags=["notifications"])


@more_router.get(
    "/unread_count",
    response=UnreadCount,
    auth=TokenAuth("read:notifications"),
    summary="How many notification groups are newer than your notifications marker "
    "(`limit`, default 100, at most 1000)",
)
def grouped_unread_count(
    request: HttpRequest, query: Query[GroupedUnreadCountQuery]
) -> UnreadCountEntity:
    """0 while the teacher is away, as `/api/v1/notifications/unread_count`."""
    viewer = own_profile(request)
    filters = filters_of(query.types, query.exclude_types, query.account_id)
    limit = lenient_limit(query.limit, default=UNREAD_LIMIT_DEFAULT, maximum=UNREAD_LIMIT_MAX)
    count = unread_groups(viewer, filters, limit=limit, grouped_types=list(query.grouped_types))
    return {"count": count}


@more_router.get(
    "/{group_key}",
    response=GroupedNotificationsResults,
    auth=TokenAuth("read:notifications"),
    summary="One notification group, whole",
)
def group_detail(request: HttpRequest, response: HttpResponse, group_key: str) -> HttpResponse:
    viewer = own_profile(request)
    group = group_get(viewer, group_key)
    return prebuilt_json(response, group_results(group, viewer, request))


@more_router.post(
    "/{group_key}/dismiss",
    response=dict[str, Any],
    auth=TokenAuth("write:notifications"),
    summary="Dismiss every notification of a group",
)
def group_dismiss_route(request: HttpRequest, group_key: str) -> EmptyEntity:
    group_dismiss(own_profile(request), group_key)
    return {}


@more_router.get(
    "/{group_key}/accounts",
    response=list[Account],
    auth=TokenAuth("read:notifications"),
    summary="The accounts of a notification group, newest first",
)
def group_accounts_route(
    request: HttpRequest, response: HttpResponse, group_key: str
) -> HttpResponse:
    viewer = own_profile(request)
    accounts = group_accounts(viewer, group_key)
    return prebuilt_json(response, list(account_map(accounts, request).values()))
