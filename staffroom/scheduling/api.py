"""Mastodon's scheduled posts: `GET /api/v1/scheduled_statuses` (paginated, Link header),
`GET`, `PUT` (a new `scheduled_at`, nothing else) and `DELETE
/api/v1/scheduled_statuses/:id`. Scheduling itself is `POST /api/v1/statuses` with
`scheduled_at` (posts' route, which calls `scheduling.services.scheduled_status_create`).

Only the author ever sees a scheduled post: another account's id answers 404 "Record not
found", exactly as an unknown one.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from staffroom.core.api.auth import TokenAuth
from staffroom.core.api.entities import EmptyEntity
from staffroom.core.api.numbers import ClampedInt64
from staffroom.core.api.pagination import PageQuery, set_link_header
from staffroom.core.exceptions import ValidationFailed
from staffroom.profiles.selectors import own_profile
from staffroom.scheduling import schemas
from staffroom.scheduling.entities import (
    ScheduledStatusEntity,
    scheduled_status_entities,
    scheduled_status_entity,
)
from staffroom.scheduling.selectors import scheduled_status_get, scheduled_statuses_list
from staffroom.scheduling.services import scheduled_status_delete, scheduled_status_reschedule

router = Router(tags=["scheduled statuses"])

LIMIT_DEFAULT = 20
LIMIT_MAX = 40


class ScheduledPageQuery(PageQuery):
    """`limit` defaults to 20 and is clamped to 40, as Mastodon's."""

    limit: ClampedInt64 = LIMIT_DEFAULT

    @property
    def size(self) -> int:
        return min(abs(self.limit) or LIMIT_DEFAULT, LIMIT_MAX)


@router.get(
    "",
    response=list[schemas.ScheduledStatus],
    auth=TokenAuth("read:statuses"),
    summary="Your scheduled posts, newest scheduling first (paginated, Link header)",
)
def scheduled_status_list(
    request: HttpRequest, response: HttpResponse, page: Query[ScheduledPageQuery]
) -> list[ScheduledStatusEntity]:
    rows = scheduled_statuses_list(
        own_profile(request),
        limit=page.size,
        max_id=page.before,
        since_id=page.since,
        min_id=page.newer,
    )
    set_link_header(request, response, [row.pk for row in rows])
    return scheduled_status_entities(rows)


@router.get(
    "/{id}",
    response=schemas.ScheduledStatus,
    auth=TokenAuth("read:statuses"),
    summary="One of your scheduled posts",
)
def scheduled_status_detail(request: HttpRequest, id: str) -> ScheduledStatusEntity:
    return scheduled_status_entity(scheduled_status_get(own_profile(request), id))


@router.put(
    "/{id}",
    response=schemas.ScheduledStatus,
    auth=TokenAuth("write:statuses"),
    summary="Publish one of your scheduled posts at another time (`scheduled_at`)",
)
def scheduled_status_update(
    request: HttpRequest, id: str, payload: schemas.ScheduledStatusUpdateIn
) -> ScheduledStatusEntity:
    """At least five minutes and at most a year ahead, within the daily limit (422)."""
    viewer = own_profile(request)
    if not payload.scheduled_at:
        scheduled_status_get(viewer, id)  # another account's id is a 404 first
        raise ValidationFailed("Validation failed: Scheduled at can't be blank")
    row = scheduled_status_reschedule(
        actor=viewer, scheduled_status_id=id, scheduled_at=payload.scheduled_at
    )
    return scheduled_status_entity(row)


@router.delete(
    "/{id}",
    response=dict[str, object],
    auth=TokenAuth("write:statuses"),
    summary="Cancel one of your scheduled posts (answers `{}`)",
)
def scheduled_status_destroy(request: HttpRequest, id: str) -> EmptyEntity:
    scheduled_status_delete(actor=own_profile(request), scheduled_status_id=id)
    return {}
