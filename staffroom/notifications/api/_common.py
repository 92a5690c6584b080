"""What the notification routes share: reading Mastodon's query leniently (with
`core.api.pagination`'s readers) and leaving out what the viewer silenced."""

from __future__ import annotations

from dataclasses import dataclass

from staffroom.core.api.pagination import lenient_id, lenient_limit
from staffroom.notifications.api.schemas import NotificationsQuery
from staffroom.notifications.models import GROUPED_KINDS, Notification
from staffroom.notifications.selectors import notifications_for
from staffroom.profiles.models import Profile

PAGE_LIMIT_DEFAULT = 40
PAGE_LIMIT_MAX = 80
UNREAD_LIMIT_DEFAULT = 100
UNREAD_LIMIT_MAX = 1000
# An `account_id` that is not an id matches nobody (Mastodon finds nothing for it either).
NO_ACCOUNT = 0


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


TRUE_VALUES = frozenset({"true", "1", "on", "yes", "t"})


def truthy(value: str | None) -> bool:
    """A flag as Rails reads it: true, 1, on, yes (any case); anything else is false."""
    return (value or "").strip().lower() in TRUE_VALUES


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
        include_filtered=truthy(query.include_filtered),
    )


def group_kinds(grouped_types: list[str]) -> set[str]:
    """The kinds that group: GROUPED_KINDS, narrowed to `grouped_types[]` when given."""
    grouping = {str(kind) for kind in GROUPED_KINDS}
    wanted = [name for name in grouped_types if name]
    return grouping & set(wanted) if wanted else grouping
