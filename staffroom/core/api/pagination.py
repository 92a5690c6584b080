"""Mastodon's paging, shared by every API route: limits, cursors and the Link header.

Two readings of the same parameters exist, as in Mastodon itself:
- typed (`PageQuery`, `page_window`): the schema answers 422 for a `limit` or cursor that
  is not a number; a number out of range is clamped, never an error;
- lenient (`lenient_limit`, `lenient_id`): Mastodon reads timeline and notification
  parameters with Ruby's `to_i`, so junk there never fails a page.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Schema
from pydantic import Field

from staffroom.core.api.numbers import MAX_OFFSET, ClampedInt64
from staffroom.core.ids import MAX_ID, ascii_digits

DEFAULT_LIMIT = 40
MAX_LIMIT = 80
CURSORS = frozenset({"max_id", "since_id", "min_id"})


def page_window(limit: int, offset: int, *, default: int = DEFAULT_LIMIT) -> tuple[int, int]:
    """Mastodon's `limit`/`offset` handling: a negative limit counts as its absolute value,
    0 means the default, anything above MAX_LIMIT is MAX_LIMIT; offsets are clamped to
    0..MAX_OFFSET. (Non-integers never get here: the schema answers 422.)"""
    size = min(abs(limit) or default, MAX_LIMIT)
    return size, min(max(offset, 0), MAX_OFFSET)


def clamp_id(value: int | None) -> int | None:
    """A cursor within 0..MAX_ID (ids beyond 64 bits are clamped, never an error)."""
    return None if value is None else max(0, min(value, MAX_ID))


class PageQuery(Schema):
    """Mastodon's id pagination: newest first; `max_id` (older than), `since_id` (newer
    than), `min_id` (the page just newer than); `limit` 1..80 (0 or junk sign: see
    page_window). Ids beyond 64 bits are clamped, never an error."""

    limit: ClampedInt64 = DEFAULT_LIMIT
    max_id: ClampedInt64 | None = Field(None)
    since_id: ClampedInt64 | None = Field(None)
    min_id: ClampedInt64 | None = Field(None)

    @property
    def size(self) -> int:
        return page_window(self.limit, 0)[0]

    @property
    def before(self) -> int | None:
        return clamp_id(self.max_id)

    @property
    def since(self) -> int | None:
        return clamp_id(self.since_id)

    @property
    def newer(self) -> int | None:
        return clamp_id(self.min_id)

    @property
    def after(self) -> int | None:
        """`since_id` for the pages whose selectors have no `since_id`: it reads as `min_id`
        would (newer than), which is what a client polling for new rows wants."""
        return clamp_id(self.min_id if self.min_id is not None else self.since_id)


def lenient_limit(value: str | None, *, default: int, maximum: int) -> int:
    """Mastodon reads `limit` with Ruby's `to_i`: 0, junk or absent is the default, a
    negative one counts by its size, anything over the maximum is the maximum."""
    try:
        wanted = abs(int((value or "").strip()))
    except ValueError:
        wanted = 0
    return min(wanted or default, maximum)


def lenient_id(value: str | None) -> int | None:
    """A cursor: None when absent or not a whole number; one beyond 64 bits is clamped."""
    text = (value or "").strip()
    if not ascii_digits(text):
        return None
    return min(int(text), MAX_ID)


def set_link_header(request: HttpRequest, response: HttpResponse, ids: Sequence[int]) -> None:
    """Mastodon's Link header for a page whose rows have these cursor ids (newest first):
    `rel="next"` pages older rows (`max_id` = the last id), `rel="prev"` newer ones
    (`min_id` = the first id). The request's other parameters (`limit`, `state`) are kept;
    URLs are on the instance's domain, as Mastodon's are. No header for an empty page."""
    if not ids:
        return
    # The instance's base URL (profiles.uris.instance_base_url); core imports no app.
    base = f"{settings.STAFFROOM_SCHEME}://{settings.STAFFROOM_DOMAIN}{request.path}"
    kept = [(key, values) for key, values in request.GET.lists() if key not in CURSORS]
    next_url = f"{base}?{urlencode([*kept, ('max_id', [str(ids[-1])])], doseq=True)}"
    prev_url = f"{base}?{urlencode([*kept, ('min_id', [str(ids[0])])], doseq=True)}"
    response["Link"] = f'<{next_url}>; rel="next", <{prev_url}>; rel="prev"'
