"""Reads about hashtags: who follows or features which, a tag's daily use, and the
hashtags a teacher uses most. Every function answers in a constant number of queries,
whatever the number of tags asked about."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Count, Max, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from staffroom.core.hashtags import normalize_tag
from staffroom.graph.selectors import paginate
from staffroom.hashtags.models import FeaturedTag, TagFollow
from staffroom.posts.audience import listed_q, open_visibilities
from staffroom.posts.models import Status, Tag
from staffroom.posts.selectors import is_tag_name
from staffroom.profiles.models import Profile, good_standing_q

HISTORY_DAYS = 7
SUGGESTIONS_MAX = 10


@dataclass(frozen=True)
class HistoryDay:
    """One day of a tag's use: `day` (midnight UTC), posts and distinct authors."""

    day: date
    uses: int
    accounts: int


def tag_named(name: str) -> Tag | None:
    """The tag `name` is (matched by its normal form), None if it cannot be a hashtag or no
    post or follow used it yet."""
    bare = name.strip().removeprefix("#")
    if not is_tag_name(bare) or not normalize_tag(bare):
        return None
    return Tag.objects.filter(normalized=normalize_tag(bare)).first()


def _public_uses() -> QuerySet[Status]:
    """Posts that count as uses of their tags: public and listed originals of authors in
    good standing and not limited, not removed (what the tag page lists)."""
    return Status.objects.filter(
        listed_q(),
        good_standing_q("account__"),
        reblog_of__isnull=True,
        removed_at__isnull=True,
        account__limited_at__isnull=True,
    )


def history_days(days: int = HISTORY_DAYS, *, now: datetime | None = None) -> list[date]:
    """The UTC days a history covers, today first."""
    today = (now or timezone.now()).astimezone(UTC).date()
    return [today - timedelta(days=offset) for offset in range(days)]


def tag_history(
    tag_ids: Collection[int], days: int = HISTORY_DAYS, *, now: datetime | None = None
) -> dict[int, list[HistoryDay]]:
    """Each tag's use per day (UTC) over the last `days` days, today first, days without
    a post included as zeros. One query."""
    wanted = history_days(days, now=now)
    start = datetime.combine(wanted[-1], time.min, tzinfo=UTC)
    counts: dict[tuple[int, date], tuple[int, int]] = {}
    if tag_ids:
        rows = (
            _public_uses()
            .filter(tags__in=list(tag_ids), created_at__gte=start)
            .annotate(day=TruncDate("created_at", tzinfo=UTC))
            .values("tags", "day")
            .annotate(uses=Count("id", distinct=True), accounts=Count("account", distinct=True))
        )
        for row in rows:
            day = row["day"]
            day = day.date() if isinstance(day, datetime) else day
            counts[(row["tags"], day)] = (row["uses"], row["accounts"])
    return {
        tag_id: [HistoryDay(day, *counts.get((tag_id, day), (0, 0))) for day in wanted]
        for tag_id in tag_ids
    }


def tag_people_this_week(tag_id: int, *, now: datetime | None = None) -> int:
    """How many people posted publicly with the tag in the last seven days. One query."""
    since = (now or timezone.now()) - timedelta(days=HISTORY_DAYS)
    return (
        _public_uses()
        .filter(tags=tag_id, created_at__gte=since)
        .values("account")
        .distinct()
        .count()
    )


def followed_tag_ids(viewer: Profile | None, tag_ids: Collection[int]) -> set[int]:
    """Which of `tag_ids` `viewer` follows. One query (none signed out)."""
    if viewer is None or not tag_ids:
        return set()
    rows = TagFollow.objects.filter(profile=viewer, tag_id__in=list(tag_ids))
    return set(rows.values_list("tag_id", flat=True))


def featured_tag_ids(viewer: Profile | None, tag_ids: Collection[int]) -> set[int]:
    """Which of `tag_ids` `viewer` features on their profile. One query."""
    if viewer is None or not tag_ids:
        return set()
    rows = FeaturedTag.objects.filter(profile=viewer, tag_id__in=list(tag_ids))
    return set(rows.values_list("tag_id", flat=True))


def followed_tags(
    viewer: Profile,
    *,
    limit: int = 40,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
) -> list[TagFollow]:
    """The hashtags `viewer` follows, newest follow first, tag loaded, paged by the follow's
    id (Mastodon's Link header cursors). One query."""
    rows = TagFollow.objects.filter(profile=viewer).select_related("tag")
    return paginate(rows, limit=limit, max_id=max_id, since_id=since_id, min_id=min_id)


def featured_tags_of(profile: Profile) -> list[FeaturedTag]:
    """The hashtags `profile` features, in the order they were featured. One query."""
    return list(FeaturedTag.objects.filter(profile=profile).select_related("tag").order_by("id"))


@dataclass(frozen=True)
class FeaturedUse:
    statuses_count: int
    last_status_at: datetime | None


def featured_uses(profile: Profile, tag_ids: Collection[int]) -> dict[int, FeaturedUse]:
    """How many of `profile`'s posts anyone may read carry each tag, and when the last
    was written. One query."""
    rows = (
        Status.objects.filter(
            account=profile,
            visibility__in=open_visibilities(),
            reblog_of__isnull=True,
            removed_at__isnull=True,
            tags__in=list(tag_ids),
        )
        .values("tags")
        .annotate(count=Count("id", distinct=True), last=Max("created_at"))
    )
    found = {row["tags"]: FeaturedUse(row["count"], row["last"]) for row in rows}
    return {tag_id: found.get(tag_id, FeaturedUse(0, None)) for tag_id in tag_ids}


def featured_tag_suggestions(profile: Profile, *, limit: int = SUGGESTIONS_MAX) -> list[Tag]:
    """The hashtags `profile` used most in their own posts, not featured yet, most used
    first. One query."""
    featured = FeaturedTag.objects.filter(profile=profile).values("tag_id")
    return list(
        Tag.objects.filter(statuses__account=profile, statuses__reblog_of__isnull=True)
        .exclude(pk__in=featured)
        .annotate(uses=Count("statuses", distinct=True), last=Max("statuses__id"))
        .order_by("-uses", "-last")[:limit]
    )


def tag_follower_ids_for_status(status_id: int) -> set[int]:
    """Local accounts that follow any hashtag of post `status_id` (fan-out's question).
    One query."""
    tag_ids = Status.tags.through.objects.filter(status_id=status_id).values("tag_id")
    rows = TagFollow.objects.filter(tag_id__in=tag_ids, profile__domain="")
    return set(rows.values_list("profile_id", flat=True))


def tags_followed_by(profile_id: int) -> QuerySet[TagFollow]:
    """The follows of `profile_id` (a subquery for feeds)."""
    return TagFollow.objects.filter(profile_id=profile_id)


@dataclass(frozen=True)
class TagPanel:
    """What a tag page shows beside its posts: the tag as first written (or the name asked
    for, if nobody used it yet), whether the viewer follows it, and how many people posted
    with it this week."""

    name: str
    following: bool
    people_this_week: int
    valid: bool = True  # False: the name cannot be a hashtag (nothing to follow)


def tag_panel(viewer: Profile | None, name: str) -> TagPanel:
    """The panel of `/tags/<name>` for `viewer`. At most three queries."""
    bare = name.strip().removeprefix("#")
    tag = tag_named(bare)
    if tag is None:
        valid = is_tag_name(bare) and bool(normalize_tag(bare))
        return TagPanel(name=bare, following=False, people_this_week=0, valid=valid)
    return TagPanel(
        name=tag.name,
        following=bool(followed_tag_ids(viewer, [tag.pk])),
        people_this_week=tag_people_this_week(tag.pk),
    )


def featured_tags_with_uses(profile: Profile) -> list[tuple[FeaturedTag, FeaturedUse]]:
    """`profile`'s featured hashtags with their use, for the profile and settings pages.
    Two queries."""
    rows = featured_tags_of(profile)
    uses = featured_uses(profile, [row.tag_id for row in rows]) if rows else {}
    return [(row, uses[row.tag_id]) for row in rows]
