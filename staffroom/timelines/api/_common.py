"""What the timeline routes share: reading a page window leniently and mixing "from
educators like you" items into a home page. The Link header is `core.api.pagination`'s: it
takes the page's own posts (suggested items never move a cursor)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from staffroom.core.api.pagination import lenient_id, lenient_limit
from staffroom.posts.models import Status
from staffroom.timelines.api.schemas import TimelineQuery
from staffroom.timelines.selectors import TIMELINE_LIMIT_DEFAULT, TIMELINE_LIMIT_MAX

# A page item (the timelines mix Status entities); only the order matters here.
Item = TypeVar("Item")


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
        limit=lenient_limit(
            query.limit, default=TIMELINE_LIMIT_DEFAULT, maximum=TIMELINE_LIMIT_MAX
        ),
        max_id=lenient_id(query.max_id),
        since_id=lenient_id(query.since_id),
        min_id=lenient_id(query.min_id),
    )


def ids_on_page(page: Sequence[Status]) -> set[int]:
    """The posts a page already shows, reshared originals included (a suggestion must not
    repeat either)."""
    shown = {status.pk for status in page}
    shown.update(status.reblog_of_id for status in page if status.reblog_of_id is not None)
    return shown


def mix_suggestions(regular: list[Item], suggested: list[Item]) -> list[Item]:
    """Spread the suggested items evenly between the regular ones: never before the first
    regular item (the top of a page is what a client marks as read), and after the last
    only when the page is too short to hold them in between. An empty page answers the
    suggestions alone."""
    if not suggested:
        return regular
    step = max(1, len(regular) // (len(suggested) + 1))
    slots = [min((number + 1) * step, len(regular)) for number in range(len(suggested))]
    mixed: list[Item] = []
    placed = 0
    for index in range(len(regular) + 1):
        while placed < len(suggested) and slots[placed] == index:
            mixed.append(suggested[placed])
            placed += 1
        if index < len(regular):
            mixed.append(regular[index])
    return mixed
