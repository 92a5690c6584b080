"""How every feed page is drawn: a page of posts (older and newer links), the "from
educators like you" items mixed in, and the small poll that says how many posts arrived
since the page was drawn.

A feed page builds its cards through posts' `post_cards`, once for the posts and the
suggested items together, so a page costs the same few queries however many rows it has.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from staffroom.core.ids import ascii_digits
from staffroom.filters.selectors import viewer_filters
from staffroom.posts.models import Status
from staffroom.posts.views._cards import PostCard, post_cards
from staffroom.profiles.models import Profile
from staffroom.timelines.selectors import SuggestedItem
from staffroom.web.paging import cursor_param, paged

# A "from educators like you" item follows every this many posts; the rest close the page.
SUGGESTION_EVERY = 5
# The poll counts this many new posts at most ("20+ new posts"): a feed is read, not tallied.
NEW_COUNT_MAX = 20

Fetch = Callable[..., list[Status]]


@dataclass
class FeedItem:
    """One row of a feed page: a post, or a suggested post with why it is suggested."""

    card: PostCard
    suggestion: SuggestedItem | None = None
    filtered: list[str] = field(default_factory=list)


def feed_items(
    viewer: Profile | None, rows: Sequence[Status], suggestions: Sequence[SuggestedItem] = ()
) -> list[FeedItem]:
    """The page's rows with a suggested item after every SUGGESTION_EVERY posts (those that
    do not fit between the posts come last, so a short feed still shows them)."""
    cards = post_cards(viewer, [*rows, *(item.status for item in suggestions)])
    pending = list(zip(suggestions, cards[len(rows) :], strict=True))
    items: list[FeedItem] = []
    for index, card in enumerate(cards[: len(rows)], start=1):
        items.append(FeedItem(card))
        if index % SUGGESTION_EVERY == 0 and pending:
            suggestion, suggested_card = pending.pop(0)
            items.append(FeedItem(suggested_card, suggestion))
    items.extend(FeedItem(card, suggestion) for suggestion, card in pending)
    return items


def filtered_items(
    request: HttpRequest, viewer: Profile | None, items: list[FeedItem], context: str
) -> list[FeedItem]:
    """`items` as the viewer's filters in `context` leave them: those a `hide` filter
    matches are gone, those a `warn` filter matches carry its title (drawn folded)."""
    filters = viewer_filters(viewer, request)
    if not filters:
        return items
    filters.prepare(item.card.status for item in items)
    shown = []
    for item in items:
        matches = filters.matches(item.card.status, context)
        if any(match.filter.action == "hide" for match in matches):
            continue
        item.filtered = [match.filter.title for match in matches]
        shown.append(item)
    return shown


def is_first_page(request: HttpRequest) -> bool:
    return cursor_param(request, "max_id") is None and cursor_param(request, "min_id") is None


def feed_page(
    request: HttpRequest,
    viewer: Profile | None,
    fetch: Fetch,
    *,
    new_url: str,
    suggest: Callable[[list[int]], list[SuggestedItem]] | None = None,
    filter_context: str | None = None,
) -> dict[str, Any]:
    """The context of a feed page: `page` (with older and newer links), `items`, and on the
    first page `poll_url`, the address that counts posts newer than the newest shown.
    `suggest(ids on the page)` gives the suggested items to mix in. With a
    `filter_context`, the viewer's filters apply (`filtered_items`); the older and newer
    links come from the page as read, so they point past hidden posts."""
    page = paged(request, fetch, lambda status: status.pk)
    suggestions = suggest([status.pk for status in page.rows]) if suggest else []
    items = feed_items(viewer, page.rows, suggestions)
    if filter_context is not None:
        items = filtered_items(request, viewer, items, filter_context)
    poll_url = ""
    if is_first_page(request):
        newest = page.rows[0].pk if page.rows else 0
        poll_url = f"{new_url}?since_id={newest}&seen=0"
    return {
        "page": page,
        "items": items,
        "poll_url": poll_url,
        "next": request.get_full_path(),
    }


def _seen(request: HttpRequest) -> int:
    value = request.GET.get("seen", "")
    return min(int(value), NEW_COUNT_MAX + 1) if ascii_digits(value) and len(value) < 4 else 0


def new_posts(request: HttpRequest, fetch: Fetch, *, feed_url: str, new_url: str) -> HttpResponse:
    """The poll's answer: how many posts are newer than `since_id`, as a link to the feed's
    first page. 204 (htmx leaves the page alone) when the count has not changed since the
    last answer (`seen`), so a screen reader hears each new count once."""
    since_id = cursor_param(request, "since_id")
    count = len(fetch(limit=NEW_COUNT_MAX + 1, since_id=since_id))
    if count == _seen(request):
        return HttpResponse(status=204)
    context = {
        "count": min(count, NEW_COUNT_MAX),
        "more": count > NEW_COUNT_MAX,
        "feed_url": feed_url,
        "poll_url": f"{new_url}?since_id={since_id or 0}&seen={count}",
    }
    return render(request, "timelines/_new_posts.html", context)
