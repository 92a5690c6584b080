"""Writes of the trends app: the links each public post carries, the periodic computation
of the candidates (`trends_refresh`), and the review of links, posts and authors.

A moderator's review goes through `moderation.services.trend_review`, which checks the
role and writes the audit log, then calls the functions here (or `posts.tag_review`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from staffroom.posts.audience import audience_for, listed_q
from staffroom.posts.models import Status
from staffroom.posts.tag_review import tags_request_review
from staffroom.profiles.models import Profile
from staffroom.trends import counting
from staffroom.trends.links import link_card, links_in
from staffroom.trends.models import (
    AuthorReview,
    Link,
    StatusLink,
    StatusReview,
    Trend,
    TrendKind,
)
from staffroom.trends.scoring import item_score

# --- Links of posts -----------------------------------------------------------------------


def _links_for(urls: list[str]) -> list[Link]:
    """The Link rows of `urls`, created when new (two queries)."""
    existing = {link.url: link for link in Link.objects.filter(url__in=urls)}
    missing = []
    for url in urls:
        if url not in existing:
            card = link_card(url)
            missing.append(Link(url=card.url, host=card.host, title=card.title))
    if missing:
        Link.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {link.url: link for link in Link.objects.filter(url__in=urls)}
    return [existing[url] for url in urls if url in existing]


def status_links_record(*, status_id: int) -> int:
    """Store the external links of post `status_id` (replacing any stored before, so an
    edit is followed); a post that is not listed, or a reshare, stores none. Returns how
    many links the post has now. Call it inside the transaction that wrote the post."""
    StatusLink.objects.filter(status_id=status_id).delete()
    status = Status.objects.filter(pk=status_id, reblog_of__isnull=True).first()
    if status is None or not audience_for(status.visibility).is_listed:
        return 0
    links = _links_for(links_in(status.content))
    StatusLink.objects.bulk_create(
        [StatusLink(status=status, link=link, created_at=status.created_at) for link in links],
        ignore_conflicts=True,
    )
    return len(links)


def recent_links_record(*, now: datetime | None = None) -> int:
    """Store the links of the listed posts of the trend window that have none stored yet,
    after a bulk load wrote posts around the services. Returns how many posts were read."""
    start = counting.window_start(now or timezone.now())
    done = StatusLink.objects.filter(created_at__gte=start).values("status_id")
    todo = (
        Status.objects.filter(listed_q(), created_at__gte=start, reblog_of__isnull=True)
        .exclude(pk__in=done)
        .filter(content__icontains="href")
        .values_list("pk", flat=True)
    )
    ids = list(todo)
    for status_id in ids:
        status_links_record(status_id=status_id)
    return len(ids)


# --- The periodic computation ---------------------------------------------------------------


@dataclass(frozen=True)
class _Kind:
    kind: TrendKind
    uses: Callable[[datetime], Iterable[counting.Use]]
    field: str


_KINDS = (
    _Kind(TrendKind.TAG, counting.tag_uses, "tag_id"),
    _Kind(TrendKind.LINK, counting.link_uses, "link_id"),
    _Kind(TrendKind.STATUS, counting.status_uses, "status_id"),
)


def _history(tallied: counting.Tally, starts: list[datetime]) -> list[dict[str, str]]:
    return [
        {"day": str(int(start.timestamp())), "uses": str(uses), "accounts": str(len(accounts))}
        for start, uses, accounts in zip(
            starts, tallied.day_uses, tallied.day_accounts, strict=True
        )
    ]


def _candidates(kind: _Kind, *, now: datetime) -> list[Trend]:
    """Trend rows of `kind` for the items used by at least the floor of accounts."""
    floor = settings.STAFFROOM_TRENDS_MIN_ACCOUNTS
    half_life = settings.STAFFROOM_TRENDS_HALF_LIFE_HOURS / 24
    starts = counting.day_starts(now)
    tallies = counting.tally(kind.uses(counting.window_start(now)), today=starts[0].date())
    rows = []
    for item_id, tallied in tallies.items():
        accounts = tallied.accounts
        if accounts < floor:
            continue
        rows.append(
            Trend(
                kind=kind.kind,
                score=item_score(tallied.days(), half_life_days=half_life),
                accounts=accounts,
                uses=tallied.uses,
                history=_history(tallied, starts),
                computed_at=now,
                **{kind.field: item_id},
            )
        )
    return rows


def trends_refresh(*, now: datetime | None = None) -> dict[str, int]:
    """Recompute every candidate (hashtags, links, posts) from the window's activity and
    replace the stored ones; candidates nobody reviewed yet are marked as asking for a
    review (`requested_review_at`), once. Idempotent; returns the candidates per kind.

    The counting reads run before the transaction that swaps the rows, so SQLite's one
    writer is held only for the swap, not for the counting."""
    now = now or timezone.now()
    rows = [row for kind in _KINDS for row in _candidates(kind, now=now)]
    with transaction.atomic():
        Trend.objects.all().delete()
        Trend.objects.bulk_create(rows, batch_size=500)
        _request_reviews(rows, now=now)
    counts = {kind.value: 0 for kind in TrendKind}
    for row in rows:
        counts[row.kind] += 1
    return counts


def _request_reviews(rows: list[Trend], *, now: datetime) -> None:
    tag_ids = [row.tag_id for row in rows if row.tag_id is not None]
    link_ids = [row.link_id for row in rows if row.link_id is not None]
    status_ids = [row.status_id for row in rows if row.status_id is not None]
    tags_request_review(tag_ids, now=now)
    Link.objects.filter(
        pk__in=link_ids, trendable__isnull=True, requested_review_at__isnull=True
    ).update(requested_review_at=now)
    decided_authors = AuthorReview.objects.values("account_id")
    asking = Status.objects.filter(pk__in=status_ids).exclude(account_id__in=decided_authors)
    StatusReview.objects.bulk_create(
        [
            StatusReview(status_id=pk, requested_review_at=now)
            for pk in asking.values_list("pk", flat=True)
        ],
        ignore_conflicts=True,
    )


def trends_forget_status(*, status_id: int) -> None:
    """Take a post out of the stored trends at once (a moderator removed it)."""
    Trend.objects.filter(status_id=status_id).delete()


def trends_prune(*, now: datetime | None = None) -> int:
    """Delete stored post links older than the window; returns how many."""
    start = counting.window_start(now or timezone.now()) - timedelta(days=1)
    return StatusLink.objects.filter(created_at__lt=start).delete()[0]


# --- Reviews ---------------------------------------------------------------------------------


@transaction.atomic
def link_review(link: Link, *, trendable: bool) -> Link:
    """Record a moderator's decision on a link (the caller checked the role and logs it)."""
    link.trendable = trendable
    link.reviewed_at = timezone.now()
    link.save(update_fields=["trendable", "reviewed_at"])
    return link


@transaction.atomic
def status_review(status: Status, *, trendable: bool) -> StatusReview:
    """Record a moderator's decision on a post as a trend (the caller checked and logs)."""
    review, _ = StatusReview.objects.update_or_create(
        status=status, defaults={"trendable": trendable, "reviewed_at": timezone.now()}
    )
    return review


@transaction.atomic
def author_review(account: Profile, *, trendable: bool) -> AuthorReview:
    """Let every post of `account` trend without its own review (True) or none (False)."""
    review, _ = AuthorReview.objects.update_or_create(
        account=account, defaults={"trendable": trendable, "reviewed_at": timezone.now()}
    )
    return review
