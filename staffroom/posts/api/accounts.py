"""`GET /api/v1/accounts/:id/statuses`: a profile's posts as the viewer may see them.

Mounted before the accounts router; its `/{id}` could not take `/{id}/statuses` anyway (a
path parameter never spans a slash), but the order keeps that obvious."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from pydantic import Field

from staffroom.core.api.pagination import set_link_header
from staffroom.filters.selectors import without_hidden
from staffroom.posts.api._common import StatusPageQuery
from staffroom.posts.api.schemas import Status
from staffroom.posts.entities import StatusEntity, status_entities
from staffroom.posts.models import TAG_NAME_MAX_LENGTH
from staffroom.posts.selectors import account_statuses
from staffroom.profiles.selectors import profile_get_for_viewer
from staffroom.profiles.viewer import optional_viewer

router = Router(tags=["statuses"])


class AccountStatusesQuery(StatusPageQuery):
    exclude_replies: bool = False
    exclude_reblogs: bool = False
    only_media: bool = False
    pinned: bool = False
    tagged: str | None = Field(None, max_length=TAG_NAME_MAX_LENGTH)


@router.get(
    "/{id}/statuses",
    response=list[Status],
    exclude_unset=True,
    summary="An account's posts, newest first (Link header; no sign-in needed)",
)
def account_status_list(
    request: HttpRequest, response: HttpResponse, id: str, query: Query[AccountStatusesQuery]
) -> list[StatusEntity]:
    """`exclude_replies` keeps the author's own threads; `only_media` keeps their own posts
    with attachments; `pinned` answers the featured posts (one page)."""
    viewer = optional_viewer(request, "read:statuses")
    account = profile_get_for_viewer(id, request.user)
    statuses = account_statuses(
        account=account,
        viewer=viewer,
        limit=query.size,
        max_id=query.before,
        since_id=query.since,
        min_id=query.newer,
        exclude_replies=query.exclude_replies,
        exclude_reblogs=query.exclude_reblogs,
        only_media=query.only_media,
        pinned=query.pinned,
        tagged=query.tagged or None,
    )
    if not query.pinned:
        set_link_header(request, response, [status.pk for status in statuses])
    shown = without_hidden(statuses, viewer, "account", request)
    return status_entities(shown, viewer, request, context="account")
