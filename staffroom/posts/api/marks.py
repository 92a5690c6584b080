"""`/api/v1/bookmarks` and `/api/v1/favourites`: the signed-in teacher's marked posts,
newest mark first, paged by the mark's id (Link header), as Mastodon does."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from staffroom.core.api.auth import TokenAuth
from staffroom.core.api.pagination import set_link_header
from staffroom.posts.api._common import StatusPageQuery
from staffroom.posts.api.schemas import Status
from staffroom.posts.entities import StatusEntity, status_entities
from staffroom.posts.selectors import MarkedStatus, bookmarks_of, favourites_of
from staffroom.profiles.selectors import own_profile

bookmarks_router = Router(tags=["statuses"])
favourites_router = Router(tags=["statuses"])


def _page(
    request: HttpRequest, response: HttpResponse, rows: list[MarkedStatus], page: StatusPageQuery
) -> list[StatusEntity]:
    set_link_header(request, response, [row.id for row in rows])
    return status_entities([row.status for row in rows], own_profile(request), request)


@bookmarks_router.get(
    "",
    response=list[Status],
    auth=TokenAuth("read:bookmarks"),
    exclude_unset=True,
    summary="Your bookmarks, newest first (Link header)",
)
def bookmark_list(
    request: HttpRequest, response: HttpResponse, page: Query[StatusPageQuery]
) -> list[StatusEntity]:
    """Posts that have since become invisible to you are left out."""
    rows = bookmarks_of(
        own_profile(request),
        limit=page.size,
        max_id=page.before,
        since_id=page.since,
        min_id=page.newer,
    )
    return _page(request, response, rows, page)


@favourites_router.get(
    "",
    response=list[Status],
    auth=TokenAuth("read:favourites"),
    exclude_unset=True,
    summary="Your favourites, newest first (Link header)",
)
def favourite_list(
    request: HttpRequest, response: HttpResponse, page: Query[StatusPageQuery]
) -> list[StatusEntity]:
    rows = favourites_of(
        own_profile(request),
        limit=page.size,
        max_id=page.before,
        since_id=page.since,
        min_id=page.newer,
    )
    return _page(request, response, rows, page)
