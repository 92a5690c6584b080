"""Who used what, day by day, over the trend window: the reads behind `trends_refresh`.

Only public (listed) posts count, never removed, sensitive or content-warned ones, nor
reshares as uses, and only accounts in good standing that no moderator limited. Trending
posts also need an author who chose to be discoverable (as Mastodon), and count the
distinct accounts that favourited or reshared them (the author never counts).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import F, Q

from staffroom.posts.audience import listed_q
from staffroom.posts.models import Favourite, Status
from staffroom.profiles.models import good_standing_q
from staffroom.trends.models import StatusLink
from staffroom.trends.scoring import DayCount

WINDOW_DAYS = 7
# (item id, account id, when)
Use = tuple[int, int, datetime]


@dataclass
class Tally:
    """One item's accounts and uses per day of the window (index 0 is today)."""

    day_accounts: list[set[int]] = field(
        default_factory=lambda: [set() for _ in range(WINDOW_DAYS)]
    )
    day_uses: list[int] = field(default_factory=lambda: [0] * WINDOW_DAYS)

    @property
    def accounts(self) -> int:
        return len(set().union(*self.day_accounts))

    @property
    def uses(self) -> int:
        return sum(self.day_uses)

    def days(self) -> list[DayCount]:
        return [
            DayCount(accounts=len(accounts), uses=uses)
            for accounts, uses in zip(self.day_accounts, self.day_uses, strict=True)
        ]


def window_start(now: datetime) -> datetime:
    """UTC midnight WINDOW_DAYS - 1 days before today's."""
    today = now.astimezone(UTC).date()
    return datetime.combine(today - timedelta(days=WINDOW_DAYS - 1), time(), tzinfo=UTC)


def day_starts(now: datetime) -> list[datetime]:
    """The UTC midnight opening each day of the window, today first."""
    today = now.astimezone(UTC).date()
    return [
        datetime.combine(today - timedelta(days=age), time(), tzinfo=UTC)
        for age in range(WINDOW_DAYS)
    ]


def tally(uses: Iterable[Use], *, today: date) -> dict[int, Tally]:
    """Uses grouped by item and day; uses outside the window are ignored."""
    tallies: dict[int, Tally] = defaultdict(Tally)
    for item_id, account_id, when in uses:
        age = (today - when.astimezone(UTC).date()).days
        if 0 <= age < WINDOW_DAYS:
            item = tallies[item_id]
            item.day_accounts[age].add(account_id)
            item.day_uses[age] += 1
    return dict(tallies)


def counting_account_q(prefix: str) -> Q:
    """The account at `prefix` counts: in good standing and not limited."""
    return good_standing_q(prefix) & Q(**{f"{prefix}limited_at__isnull": True})


def counted_posts_q(prefix: str = "") -> Q:
    """Posts (at `prefix`) whose hashtags and links count."""
    return (
        listed_q(prefix)
        & Q(**{f"{prefix}removed_at__isnull": True})
        & Q(**{f"{prefix}sensitive": False})
        & Q(**{f"{prefix}spoiler_text": ""})
        & Q(**{f"{prefix}reblog_of__isnull": True})
        & counting_account_q(f"{prefix}account__")
    )


def trendable_posts_q(prefix: str = "") -> Q:
    """Posts (at `prefix`) that may trend themselves: counted, not replies, by a
    discoverable author."""
    return (
        counted_posts_q(prefix)
        & Q(**{f"{prefix}in_reply_to__isnull": True})
        & Q(**{f"{prefix}account__is_discoverable": True})
    )


def tag_uses(start: datetime) -> Iterable[Use]:
    through = Status.tags.through.objects.filter(
        counted_posts_q("status__"), status__created_at__gte=start
    )
    return through.values_list("tag_id", "status__account_id", "status__created_at").iterator()


def link_uses(start: datetime) -> Iterable[Use]:
    rows = StatusLink.objects.filter(counted_posts_q("status__"), created_at__gte=start)
    return rows.values_list("link_id", "status__account_id", "created_at").iterator()


def status_uses(start: datetime) -> Iterable[Use]:
    """Favourites and reshares of trendable posts of the window, by others than the
    author, as (post id, account id, when)."""
    favourites = (
        Favourite.objects.filter(
            trendable_posts_q("status__"),
            counting_account_q("account__"),
            status__created_at__gte=start,
            created_at__gte=start,
        )
        .exclude(account_id=F("status__account_id"))
        .values_list("status_id", "account_id", "created_at")
    )
    reshares = (
        Status.objects.filter(
            trendable_posts_q("reblog_of__"),
            counting_account_q("account__"),
            reblog_of__created_at__gte=start,
            created_at__gte=start,
            removed_at__isnull=True,
        )
        .exclude(account_id=F("reblog_of__account_id"))
        .values_list("reblog_of_id", "account_id", "created_at")
    )
    yield from favourites.iterator()
    yield from reshares.iterator()
