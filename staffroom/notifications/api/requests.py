"""`/api/v1/notifications/requests` (Mastodon 4.3): the notifications your policy put
aside, one request per sender, to accept (they join your notifications and that sender is
never put aside again) or dismiss (they are deleted). Another teacher's request id answers
404 exactly like an unknown one; the bulk routes ignore ids that are not yours."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from staffroom.core.api.auth import TokenAuth
from staffroom.core.api.entities import EmptyEntity
from staffroom.core.api.pagination import lenient_id, lenient_limit, set_link_header
from staffroom.core.api.prebuilt import prebuilt_json
from staffroom.notifications.api._common import PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX
from staffroom.notifications.api.entities import (
    MergedEntity,
    request_entities,
)
from staffroom.notifications.api.schemas import (
    Merged,
    NotificationRequest,
    RequestIdsIn,
    RequestsQuery,
)
from staffroom.notifications.selectors import request_get, requests_for
from staffroom.notifications.services import (
    request_accept,
    request_dismiss,
    requests_accept,
    requests_dismiss,
)
from staffroom.profiles.selectors import own_profile

router = Router(tags=["notifications"])

REQUEST_IDS_MAX = 100


def _ids(payload: RequestIdsIn) -> list[str]:
    values = [payload.id] if isinstance(payload.id, str) else payload.id
    return [value.strip() for value in values[:REQUEST_IDS_MAX]]


@router.get(
    "",
    response=list[NotificationRequest],
    auth=TokenAuth("read:notifications"),
    summary="Notification requests: who your policy put aside, newest first (Link header)",
)
def request_list(
    request: HttpRequest, response: HttpResponse, query: Query[RequestsQuery]
) -> HttpResponse:
    viewer = own_profile(request)
    page = requests_for(
        viewer,
        limit=lenient_limit(query.limit, default=PAGE_LIMIT_DEFAULT, maximum=PAGE_LIMIT_MAX),
        max_id=lenient_id(query.max_id),
        since_id=lenient_id(query.since_id),
        min_id=lenient_id(query.min_id),
    )
    set_link_header(request, response, [row.pk for row in page])
    return prebuilt_json(response, request_entities(page, viewer, request))


@router.get(
    "/merged",
    response=Merged,
    auth=TokenAuth("read:notifications"),
    summary="Whether accepted requests' notifications are merged into your list",
)
def request_merged(request: HttpRequest) -> MergedEntity:
    """Always true: accepting moves the notifications in the same transaction."""
    own_profile(request)
    return {"merged": True}


@router.post(
    "/accept",
    response=dict[str, Any],
    auth=TokenAuth("write:notifications"),
    summary="Accept several notification requests (`id[]`)",
)
def request_accept_many(request: HttpRequest, payload: RequestIdsIn) -> EmptyEntity:
    requests_accept(own_profile(request), _ids(payload))
    return {}


@router.post(
    "/dismiss",
    response=dict[str, Any],
    auth=TokenAuth("write:notifications"),
    summary="Dismiss several notification requests (`id[]`)",
)
def request_dismiss_many(request: HttpRequest, payload: RequestIdsIn) -> EmptyEntity:
    requests_dismiss(own_profile(request), _ids(payload))
    return {}


@router.get(
    "/{id}",
    response=NotificationRequest,
    auth=TokenAuth("read:notifications"),
    summary="One of your notification requests",
)
def request_detail(request: HttpRequest, response: HttpResponse, id: str) -> HttpResponse:
    viewer = own_profile(request)
    found = request_get(viewer, id)  # 404 for another's, unknown, or emptied since
    return prebuilt_json(response, request_entities([found], viewer, request)[0])


@router.post(
    "/{id}/accept",
    response=dict[str, Any],
    auth=TokenAuth("write:notifications"),
    summary="Accept a notification request: its notifications join your list, and that "
    "account is not put aside again",
)
def request_accept_one(request: HttpRequest, id: str) -> EmptyEntity:
    request_accept(own_profile(request), id)
    return {}


@router.post(
    "/{id}/dismiss",
    response=dict[str, Any],
    auth=TokenAuth("write:notifications"),
    summary="Dismiss a notification request: it and its notifications are deleted",
)
def request_dismiss_one(request: HttpRequest, id: str) -> EmptyEntity:
    request_dismiss(own_profile(request), id)
    return {}
