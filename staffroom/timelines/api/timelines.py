"""`/api/v1/timelines/...`: the home feed, a list's feed, the public and hashtag timelines,
newest first, paged by post id with Mastodon's Link header.

Each route reads one selector of `staffroom.timelines.selectors` (which decides who sees
what) and builds the page's Statuses in one batch (`status_entities`), so a page of 40 costs
the same queries as a page of 5.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from staffroom.core.api.auth import TokenAuth
from staffroom.core.api.pagination import set_link_header
from staffroom.core.api.prebuilt import prebuilt_json
from staffroom.filters.selectors import without_hidden
from staffroom.posts.entities import status_entities, with_suggestion
from staffroom.posts.models import Status
from staffroom.profiles.models import Profile
from staffroom.profiles.selectors import own_profile
from staffroom.profiles.viewer import optional_viewer
from staffroom.timelines.api._common import (
    ids_on_page,
    mix_suggestions,
    window_of,
)
from staffroom.timelines.api.schemas import (
    HomeQuery,
    PublicQuery,
    TagQuery,
    TimelineQuery,
    TimelineStatus,
)
from staffroom.timelines.selectors import (
    SuggestedItem,
    home_timeline,
    list_timeline,
    public_timeline,
    purpose_list_of,
    suggested_items,
    tag_timeline,
)

router = Router(tags=["timelines"])


def _page(
    request: HttpRequest,
    response: HttpResponse,
    viewer: Profile | None,
    page: list[Status],
    context: str,
) -> HttpResponse:
    """The Link header from the page as read, then the page less the posts the viewer's
    `hide` filters take out in `context` (so the next page starts past them)."""
    set_link_header(request, response, [status.pk for status in page])
    shown = without_hidden(page, viewer, context, request)
    return prebuilt_json(response, status_entities(shown, viewer, request, context=context))


@router.get(
    "/home",
    response=list[TimelineStatus],
    auth=TokenAuth("read:statuses"),
    exclude_unset=True,
    summary="Your home feed, newest first (Link header; `pln_suggested=true` mixes in suggestions)",
)
def home(request: HttpRequest, response: HttpResponse, query: Query[HomeQuery]) -> HttpResponse:
    """With `pln_suggested=true`, a page that is not a poll for newer posts also carries
    "from educators like you" posts (as many as the teacher's feed preference, none when
    it is 0), marked `pln.suggested` and spread between the regular posts. They never move
    the Link cursors, which come from the regular posts only."""
    viewer = own_profile(request)
    window = window_of(query)
    page = home_timeline(
        viewer,
        limit=window.limit,
        max_id=window.max_id,
        since_id=window.since_id,
        min_id=window.min_id,
    )
    set_link_header(request, response, [status.pk for status in page])
    page = without_hidden(page, viewer, "home", request)
    items: list[SuggestedItem] = []
    if query.pln_suggested and not window.polls_newer:
        items = suggested_items(viewer, exclude_ids=ids_on_page(page))
        shown = {
            status.pk
            for status in without_hidden([item.status for item in items], viewer, "home", request)
        }
        items = [item for item in items if item.status.pk in shown]
    entities = status_entities(
        [*page, *(item.status for item in items)], viewer, request, context="home"
    )
    suggested = [
        with_suggestion(entity, reason=item.reason, reasons=item.reasons)
        for entity, item in zip(entities[len(page) :], items, strict=True)
    ]
    return prebuilt_json(response, mix_suggestions(entities[: len(page)], suggested))


@router.get(
    "/list/{list_id}",
    response=list[TimelineStatus],
    auth=TokenAuth("read:lists"),
    exclude_unset=True,
    summary="The posts of one of your lists, newest first (Link header)",
)
def list_feed(
    request: HttpRequest, response: HttpResponse, list_id: str, query: Query[TimelineQuery]
) -> HttpResponse:
    """Another teacher's list answers 404, the same as an unknown one."""
    viewer = own_profile(request)
    purpose_list = purpose_list_of(viewer, list_id)
    window = window_of(query)
    page = list_timeline(
        viewer,
        purpose_list,
        limit=window.limit,
        max_id=window.max_id,
        since_id=window.since_id,
        min_id=window.min_id,
    )
    return _page(request, response, viewer, page, "home")


@router.get(
    "/public",
    response=list[TimelineStatus],
    exclude_unset=True,
    summary="Public posts, newest first (`local`, `remote`; no sign-in needed)",
)
def public(request: HttpRequest, response: HttpResponse, query: Query[PublicQuery]) -> HttpResponse:
    """`only_media` keeps posts with attachments."""
    viewer = optional_viewer(request, "read:statuses")
    window = window_of(query)
    page = public_timeline(
        viewer,
        local=query.local,
        remote=query.remote,
        only_media=query.only_media,
        limit=window.limit,
        max_id=window.max_id,
        since_id=window.since_id,
        min_id=window.min_id,
    )
    return _page(request, response, viewer, page, "public")


@router.get(
    "/tag/{hashtag}",
    response=list[TimelineStatus],
    exclude_unset=True,
    summary="Public posts with a hashtag, newest first (no sign-in needed)",
)
def tag(
    request: HttpRequest, response: HttpResponse, hashtag: str, query: Query[TagQuery]
) -> HttpResponse:
    """A name over 100 characters is a 422. `any[]` adds posts with any of those hashtags,
    `all[]` keeps posts that also carry all of them, `none[]` leaves out posts with any of
    them (at most 10 names each). `local` and `remote` are accepted and not applied yet
    (every post here is local); `only_media` keeps posts with attachments."""
    viewer = optional_viewer(request, "read:statuses")
    window = window_of(query)
    page = tag_timeline(
        viewer,
        hashtag,
        only_media=query.only_media,
        any_tags=query.any_tags,
        all_tags=query.all_tags,
        none_tags=query.none_tags,
        limit=window.limit,
        max_id=window.max_id,
        since_id=window.since_id,
        min_id=window.min_id,
    )
    return _page(request, response, viewer, page, "public")
