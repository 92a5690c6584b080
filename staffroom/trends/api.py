"""`/api/v1/trends/...`: Mastodon's trending hashtags, posts and links, public as on
Mastodon (a token, when sent, must be valid and hold `read`). Empty lists when the
server switched trends off. Each route reads one selector of `staffroom.trends.selectors`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from staffroom.core.api.pagination import lenient_limit
from staffroom.core.api.prebuilt import prebuilt_json
from staffroom.core.ids import ascii_digits
from staffroom.hashtags.entities import tag_entities
from staffroom.hashtags.schemas import Tag
from staffroom.posts.api.schemas import Status
from staffroom.posts.entities import status_entities
from staffroom.profiles.viewer import optional_viewer
from staffroom.trends import selectors
from staffroom.trends.entities import trending_link_entities
from staffroom.trends.schemas import TrendingLink, TrendsQuery

router = Router(tags=["trends"])
# The deprecated `/api/v1/trends`, the same list as `/api/v1/trends/tags`.
legacy_router = Router(tags=["trends"])


def _offset(value: str | None) -> int:
    text = (value or "").strip()
    if not ascii_digits(text):
        return 0
    return min(int(text[:12]), selectors.CANDIDATES_MAX)


def _tags(request: HttpRequest, response: HttpResponse, query: TrendsQuery) -> HttpResponse:
    viewer = optional_viewer(request, "read")
    limit = lenient_limit(
        query.limit, default=selectors.TAGS_LIMIT_DEFAULT, maximum=selectors.TAGS_LIMIT_MAX
    )
    rows = selectors.trending_tags(limit=limit, offset=_offset(query.offset))
    tags = [row.tag for row in rows if row.tag is not None]
    return prebuilt_json(response, tag_entities(tags, viewer))


@router.get("/tags", response=list[Tag], summary="Trending hashtags, best first")
def tags(request: HttpRequest, response: HttpResponse, query: Query[TrendsQuery]) -> HttpResponse:
    return _tags(request, response, query)


@legacy_router.get(
    "", response=list[Tag], summary="Trending hashtags (deprecated: use /trends/tags)"
)
def tags_legacy(
    request: HttpRequest, response: HttpResponse, query: Query[TrendsQuery]
) -> HttpResponse:
    return _tags(request, response, query)


@router.get(
    "/statuses",
    response=list[Status],
    exclude_unset=True,
    summary="Trending posts that you may see, best first",
)
def statuses(
    request: HttpRequest, response: HttpResponse, query: Query[TrendsQuery]
) -> HttpResponse:
    viewer = optional_viewer(request, "read:statuses")
    limit = lenient_limit(
        query.limit,
        default=selectors.STATUSES_LIMIT_DEFAULT,
        maximum=selectors.STATUSES_LIMIT_MAX,
    )
    page = selectors.trending_statuses(viewer, limit=limit, offset=_offset(query.offset))
    return prebuilt_json(response, status_entities(page, viewer, request))


@router.get("/links", response=list[TrendingLink], summary="Trending links, best first")
def links(request: HttpRequest, response: HttpResponse, query: Query[TrendsQuery]) -> HttpResponse:
    optional_viewer(request, "read")
    limit = lenient_limit(
        query.limit, default=selectors.LINKS_LIMIT_DEFAULT, maximum=selectors.LINKS_LIMIT_MAX
    )
    rows = selectors.trending_links(limit=limit, offset=_offset(query.offset))
    return prebuilt_json(response, trending_link_entities(rows))
