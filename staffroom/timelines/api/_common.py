"""What the timeline routes share: reading a page window leniently, the Link header of a
page, and mixing "from educators like you" items into a home page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse

from staffroom.core.ids import MAX_ID
from staffroom.posts.models import Status
from staffroom.profiles.uris import instance_base_url
from staffroom.timelines.api.schemas import TimelineQuery
from staffroom.timelines.selectors import TIMELINE_LIMIT_DEFAULT, TIMELINE_LIMIT_MAX

_CURSORS = frozenset({"max_id", "since_id", "min_id"})


@dataclass(frozen=True)
class Window:
    """A page request as the selectors take it."""

    limit: int
    max_id: int | None
    since_id: int | None
    min_id: int | None

    @property
    def polls_newer(self) -> bool:
        """True for a client asking what is new above its top post (`since_id`/`min_id`)."""
        return self.since_id is not None or self.min_id is not None


def window_of(query: TimelineQuery) -> Window:
    """Mastodon reads `limit` and the cursors with Ruby's `to_i`: junk never fails a
    timeline. So here too: `limit` 0, junk or absent is 20, a negative one counts by its
    size, anything over 40 is 40; a cursor that is not a whole number is ignored."""
    return Window(
        limit=_limit(query.limit),
        max_id=_cursor(query.max_id),
        since_id=_cursor(query.since_id),
        min_id=_cursor(query.min_id),
    )


def _limit(value: str | None) -> int:
    try:
        wanted = abs(int((value or "").strip()))
    except ValueError:
        wanted = 0
    return min(wanted or TIMELINE_LIMIT_DEFAULT, TIMELINE_LIMIT_MAX)


def _cursor(value: str | None) -> int | None:
    text = (value or "").strip()
    if not text.isascii() or not text.isdigit():
        return None
    return min(int(text), MAX_ID)


def set_timeline_link(request: HttpRequest, response: HttpResponse, page: Sequence[Status]) -> None:
    """Mastodon's Link header from the page's own posts (newest first): `rel="next"` pages
    older posts (`max_id` = the last id), `rel="prev"` newer ones (`min_id` = the first id).
    The request's other parameters are kept; no header for an empty page. Suggested items
    are never part of `page`, so they never move a cursor."""
    if not page:
        return
    base = instance_base_url() + request.path
    kept = [(key, values) for key, values in request.GET.lists() if key not in _CURSORS]
    next_url = f"{base}?{urlencode([*kept, ('max_id', [str(page[-1].pk)])], doseq=True)}"
    prev_url = f"{base}?{urlencode([*kept, ('min_id', [str(page[0].pk)])], doseq=True)}"
    response["Link"] = f'<{next_url}>; rel="next", <{prev_url}>; rel="prev"'


def ids_on_page(page: Sequence[Status]) -> set[int]:
    """The posts a page already shows, reshared originals included (a suggestion must not
    repeat either)."""
    shown = {status.pk for status in page}
    shown.update(status.reblog_of_id for status in page if status.reblog_of_id is not None)
    return shown


def mix_suggestions(
    regular: list[dict[str, Any]], suggested: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Spread the suggested items evenly between the regular ones: never before the first
    regular item (the top of a page is what a client marks as read), and after the last
    only when the page is too short to hold them in between. An empty page answers the
    suggestions alone."""
    if not suggested:
        return regular
    step = max(1, len(regular) // (len(suggested) + 1))
    slots = [min((number + 1) * step, len(regular)) for number in range(len(suggested))]
    mixed: list[dict[str, Any]] = []
    placed = 0
    for index in range(len(regular) + 1):
        while placed < len(suggested) and slots[placed] == index:
            mixed.append(suggested[placed])
            placed += 1
        if index < len(regular):
            mixed.append(regular[index])
    return mixed
