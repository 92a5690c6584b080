"""Reads of what trends: the stored candidates that a moderator let trend (or, with
review switched off, that nobody rejected), best first; posts also pass the audience rule
for the viewer. And the moderators' review lists."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from staffroom.graph.selectors import active_mutes
from staffroom.posts.audience import visible_statuses
from staffroom.posts.models import Status
from staffroom.profiles.models import Profile
from staffroom.trends.models import AuthorReview, StatusReview, Trend, TrendKind

# Mastodon's page sizes: default and maximum per kind.
TAGS_LIMIT_DEFAULT, TAGS_LIMIT_MAX = 10, 20
STATUSES_LIMIT_DEFAULT, STATUSES_LIMIT_MAX = 20, 40
LINKS_LIMIT_DEFAULT, LINKS_LIMIT_MAX = 10, 20
# No list reads past this many candidates (an offset beyond it answers an empty page).
CANDIDATES_MAX = 1000


def trends_enabled() -> bool:
    return bool(settings.STAFFROOM_TRENDS_ENABLED)


def _reviewed(field: str) -> Q:
    """A tag or link (at `field`) that may trend given its review."""
    if settings.STAFFROOM_TRENDS_NEED_REVIEW:
        return Q(**{f"{field}__trendable": True})
    return Q(**{f"{field}__trendable__isnull": True}) | Q(**{f"{field}__trendable": True})


def _status_decisions() -> tuple[Q, Q]:
    """(allowed, rejected) for a post trend: the post's own review, else its author's."""
    post_yes = Exists(StatusReview.objects.filter(status_id=OuterRef("status_id"), trendable=True))
    post_no = Exists(StatusReview.objects.filter(status_id=OuterRef("status_id"), trendable=False))
    author = AuthorReview.objects.filter(account_id=OuterRef("status__account_id"))
    author_yes = Exists(author.filter(trendable=True))
    author_no = Exists(author.filter(trendable=False))
    return Q(post_yes) | (~Q(post_no) & Q(author_yes)), Q(post_no) | (~Q(post_yes) & Q(author_no))


def _shown(kind: TrendKind) -> QuerySet[Trend]:
    rows = Trend.objects.filter(kind=kind).order_by("-score", "pk")
    if kind == TrendKind.TAG:
        return rows.filter(_reviewed("tag")).select_related("tag")
    if kind == TrendKind.LINK:
        return rows.filter(_reviewed("link")).select_related("link")
    allowed, rejected = _status_decisions()
    return rows.filter(allowed if settings.STAFFROOM_TRENDS_NEED_REVIEW else ~rejected)


def _window(offset: int, limit: int) -> tuple[int, int]:
    start = min(max(offset, 0), CANDIDATES_MAX)
    return start, min(start + max(limit, 0), CANDIDATES_MAX)


def trending_tags(*, limit: int = TAGS_LIMIT_DEFAULT, offset: int = 0) -> list[Trend]:
    """Trending hashtags (rows with `tag` loaded), best first; none when trends are off."""
    if not trends_enabled():
        return []
    start, end = _window(offset, limit)
    return list(_shown(TrendKind.TAG)[start:end])


def trending_links(*, limit: int = LINKS_LIMIT_DEFAULT, offset: int = 0) -> list[Trend]:
    """Trending links (rows with `link` loaded), best first; none when trends are off."""
    if not trends_enabled():
        return []
    start, end = _window(offset, limit)
    return list(_shown(TrendKind.LINK)[start:end])


def trending_statuses(
    viewer: Profile | None, *, limit: int = STATUSES_LIMIT_DEFAULT, offset: int = 0
) -> list[Status]:
    """Trending posts that `viewer` may see (`visible_statuses`), less those of authors
    the viewer mutes, best first, authors loaded; none when trends are off. Blocks, mutes
    and standing are the viewer's, so two viewers may get different pages."""
    if not trends_enabled():
        return []
    ranked = list(_shown(TrendKind.STATUS).values_list("status_id", flat=True)[:CANDIDATES_MAX])
    seen = visible_statuses(viewer)
    if viewer is not None:
        seen = seen.exclude(account__in=active_mutes(viewer).values("muted_id"))
    visible = seen.in_bulk(ranked)
    start, end = _window(offset, limit)
    return [visible[pk] for pk in ranked if pk in visible][start:end]


# --- The moderators' review ------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewRow:
    """A current candidate as moderators review it: `state` is approved, rejected or
    pending (`trendable` True, False or None)."""

    trend: Trend
    trendable: bool | None

    @property
    def state(self) -> str:
        return {True: "approved", False: "rejected", None: "pending"}[self.trendable]


def review_rows(kind: TrendKind) -> list[ReviewRow]:
    """Every current candidate of `kind`, pending first, then by score, with its review."""
    rows = Trend.objects.filter(kind=kind).order_by("-score", "pk")[:CANDIDATES_MAX]
    if kind == TrendKind.TAG:
        found = [ReviewRow(row, row.tag.trendable) for row in rows.select_related("tag") if row.tag]
    elif kind == TrendKind.LINK:
        found = [
            ReviewRow(row, row.link.trendable) for row in rows.select_related("link") if row.link
        ]
    else:
        found = _status_review_rows(list(rows.select_related("status__account")))
    return sorted(found, key=lambda row: row.trendable is not None)


def _status_review_rows(rows: list[Trend]) -> list[ReviewRow]:
    ids = [row.status_id for row in rows]
    posts = dict(
        StatusReview.objects.filter(status_id__in=ids).values_list("status_id", "trendable")
    )
    authors = dict(
        AuthorReview.objects.filter(
            account_id__in={row.status.account_id for row in rows if row.status}
        ).values_list("account_id", "trendable")
    )
    return [
        ReviewRow(
            row,
            posts.get(row.status_id)
            if posts.get(row.status_id) is not None
            else authors.get(row.status.account_id),
        )
        for row in rows
        if row.status is not None
    ]


def trends_need_review() -> bool:
    return bool(settings.STAFFROOM_TRENDS_NEED_REVIEW)
