"""What the notification routes share: reading Mastodon's query leniently, leaving out
what the viewer silenced, and the Link header of a page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse

from staffroom.core.ids import MAX_ID
from staffroom.notifications.api.schemas import NotificationsQuery
from staffroom.notifications.models import GROUPED_KINDS, Notification
from staffroom.notifications.selectors import notifications_for
from staffroom.profiles.models import Profile
from staffroom.profiles.uris import instance_base_url

PAGE_LIMIT_DEFAULT = 40
PAGE_LIMIT_MAX = 80
UNREAD_LIMIT_DEFAULT = 100
UNREAD_LIMIT_MAX = 1000
# An `account_id` that is not an id matches nobody (Mastodon finds nothing for it either).
NO_ACCOUNT = 0
_CURSORS = frozenset({"max_id", "since_id", "min_id"})


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
    if not text.isascii() or not text.isdigit():
        return None
    return min(int(text), MAX_ID)


def account_filter(value: str | None) -> int | None:
    """`account_id`: None when absent; an id that is not a number matches nobody."""
    if not (value or "").strip():
        return None
    found = lenient_id(value)
    return NO_ACCOUNT if found is None else found


@dataclass(frozen=True)
class Filters:
    """Mastodon's notification filters as the selectors take them."""

    types: list[str]
    exclude_types: list[str]
    account_id: int | None


def filters_of(types: list[str], exclude_types: list[str], account_id: str | None) -> Filters:
    return Filters(
        types=[name for name in types if name],
        exclude_types=[name for name in exclude_types if name],
        account_id=account_filter(account_id),
    )


def notification_page(viewer: Profile, query: NotificationsQuery) -> list[Notification]:
    """The page a list route asks for, newest first (the selector leaves out accounts the
    viewer blocked or muted since)."""
    filters = filters_of(query.types, query.exclude_types, query.account_id)
    return notifications_for(
        viewer,
        types=filters.types,
        exclude_types=filters.exclude_types,
        account_id=filters.account_id,
        limit=lenient_limit(query.limit, default=PAGE_LIMIT_DEFAULT, maximum=PAGE_LIMIT_MAX),
        max_id=lenient_id(query.max_id),
        since_id=lenient_id(query.since_id),
        min_id=lenient_id(query.min_id),
    )


def set_link(request: HttpRequest, response: HttpResponse, ids: Sequence[int]) -> None:
    """Mastodon's Link header from a page's notification ids (newest first): `rel="next"`
    pages older ones (`max_id` = the last id), `rel="prev"` newer ones (`min_id` = the
    first). The request's other parameters are kept; no header for an empty page."""
    if not ids:
        return
    base = instance_base_url() + request.path
    kept = [(key, values) for key, values in request.GET.lists() if key not in _CURSORS]
    next_url = f"{base}?{urlencode([*kept, ('max_id', [str(ids[-1])])], doseq=True)}"
    prev_url = f"{base}?{urlencode([*kept, ('min_id', [str(ids[0])])], doseq=True)}"
    response["Link"] = f'<{next_url}>; rel="next", <{prev_url}>; rel="prev"'


def group_kinds(grouped_types: list[str]) -> set[str]:
    """The kinds that group: GROUPED_KINDS, narrowed to `grouped_types[]` when given."""
    grouping = {str(kind) for kind in GROUPED_KINDS}
    wanted = [name for name in grouped_types if name]
    return grouping & set(wanted) if wanted else grouping
