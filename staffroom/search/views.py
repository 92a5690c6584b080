"""`/search`: people, posts and hashtags for a query, as tabs, from the one search function
(`search.selectors.search`), so the page finds exactly what the API finds for that viewer.

The "All" tab shows the first few of each kind with a link to the full tab; a tab shows one
kind a page at a time (offset paging: results are ranked, not ordered by id). Posts are
drawn as snippets around the words that matched, with those words marked.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from staffroom.graph import views as graph_views
from staffroom.posts.models import Status, Tag
from staffroom.profiles.models import Profile
from staffroom.profiles.viewer import viewer_profile
from staffroom.profiles.views import profile_display
from staffroom.search.query import ParsedQuery, parse_query
from staffroom.search.selectors import search
from staffroom.search.snippets import post_snippet

TABS = ("all", "accounts", "statuses", "hashtags")
PAGE_SIZE = 20
PREVIEW_SIZE = 5  # of each kind, on the "All" tab
OFFSET_MAX = 1000  # ranked results run out of meaning long before this
QUERY_MAX_LENGTH = 500


def _offset(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        return 0
    return min(max(value, 0), OFFSET_MAX)


def _url(q: str, tab: str, *, following: bool, offset: int = 0) -> str:
    query: dict[str, str] = {"q": q}
    if tab != "all":
        query["type"] = tab
    if following:
        query["following"] = "1"
    if offset:
        query["offset"] = str(offset)
    return f"/search?{urlencode(query)}"


def _people(viewer: Profile | None, profiles: list[Profile]) -> list[dict[str, Any]]:
    rels = graph_views.relationships_by_id(viewer, profiles)
    return [{**profile_display(p), "rel": rels.get(p.pk)} for p in profiles]


def _posts(statuses: list[Status], query: ParsedQuery) -> list[dict[str, Any]]:
    return [post_snippet(status, query) for status in statuses]


def _tags(tags: list[Tag]) -> list[dict[str, str]]:
    return [{"name": tag.name} for tag in tags]


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """The results page. An empty query shows what can be searched and how; bad input
    (too long, NUL bytes, stray quotes or operators) is read as words, never an error."""
    viewer = viewer_profile(request)
    q = request.GET.get("q", "").replace("\x00", "").strip()[:QUERY_MAX_LENGTH]
    tab = request.GET.get("type", "all")
    tab = tab if tab in TABS else "all"
    following = request.GET.get("following") == "1" and viewer is not None
    offset = _offset(request.GET.get("offset", "0")) if tab != "all" else 0
    query = parse_query(q)
    context: dict[str, Any] = {
        "q": q,
        "tab": tab,
        "following": following,
        "signed_in": viewer is not None,
        "tabs": [(name, _url(q, name, following=following)) for name in TABS],
        "searched": not query.is_empty,
        "offset": offset,
        "next": request.get_full_path(),
    }
    if query.is_empty:
        return render(request, "search/results.html", context)
    limit = PREVIEW_SIZE if tab == "all" else PAGE_SIZE + 1
    kinds = None if tab == "all" else [tab]
    results = search(
        viewer,
        q,
        kinds=kinds,
        limit=limit,
        offset=offset,
        following=following,
        authors_followed=following,
    )
    people = results.accounts[:limit] if tab in ("all", "accounts") else []
    statuses = results.statuses[:limit] if tab in ("all", "statuses") else []
    tags = results.hashtags[:limit] if tab in ("all", "hashtags") else []
    has_next = tab != "all" and len(people) + len(statuses) + len(tags) > PAGE_SIZE
    context |= {
        "people": _people(viewer, people[:PAGE_SIZE]),
        "posts": _posts(statuses[:PAGE_SIZE], query),
        "tags": _tags(tags[:PAGE_SIZE]),
        "nothing": not (people or statuses or tags),
        "next_url": _url(q, tab, following=following, offset=offset + PAGE_SIZE)
        if has_next
        else "",
        "previous_url": _url(q, tab, following=following, offset=max(offset - PAGE_SIZE, 0))
        if offset
        else "",
        **(graph_views.control_options(viewer) if people else {}),
    }
    return render(request, "search/results.html", context)
