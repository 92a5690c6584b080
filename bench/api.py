"""The naive baseline route: the same page as `GET /api/v1/timelines/home`, through the
same middleware, authentication, Status entities and response schema, but its ids come
from one query over the followed authors' posts instead of the stored feed rows."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Query, Router

from staffroom.core.api.auth import TokenAuth
from staffroom.core.api.errors import install_error_handlers
from staffroom.core.api.pagination import set_link_header
from staffroom.core.api.parser import MastodonParser
from staffroom.posts.entities import StatusEntity, status_entities
from staffroom.profiles.selectors import own_profile
from staffroom.timelines.api._common import window_of
from staffroom.timelines.api.schemas import TimelineQuery, TimelineStatus
from staffroom.timelines.selectors import direct_home_ids, page_statuses

router = Router(tags=["bench"])


@router.get(
    "/naive-home",
    response=list[TimelineStatus],
    auth=TokenAuth("read:statuses"),
    exclude_unset=True,
)
def naive_home(
    request: HttpRequest, response: HttpResponse, query: Query[TimelineQuery]
) -> list[StatusEntity]:
    viewer = own_profile(request)
    page = page_statuses(viewer, direct_home_ids(viewer, limit=window_of(query).limit))
    set_link_header(request, response, [status.pk for status in page])
    return status_entities(page, viewer, request)


bench_api = NinjaAPI(
    title="Staffroom benchmark baseline",
    parser=MastodonParser(),
    urls_namespace="bench_api",
    docs_url=None,
    openapi_url=None,
)
install_error_handlers(bench_api)
bench_api.add_router("", router)
