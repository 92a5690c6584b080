"""The feed seam for "from educators like you": recent public posts by discoverable
educators the teacher does not follow yet, who share their subjects or grades, each with
the reason.

Similar educators come from the suggestion engine (`recommendations.selectors`), the same
ranking and reasons as the "Grow your PLN" page. Never from accounts the teacher follows,
blocks, mutes, dismissed or is blocked by, nor from accounts that are not discoverable,
away or limited.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from staffroom.core.pln import modalities_for_learning_styles
from staffroom.posts.audience import listed_q, visible_statuses
from staffroom.posts.models import Status
from staffroom.profiles.models import Profile
from staffroom.recommendations.explain import ReasonEntity
from staffroom.recommendations.selectors import suggested_authors
from staffroom.timelines.models import SUGGESTED_PER_PAGE_DEFAULT, FeedPreferences

RECENT = timedelta(days=14)
CANDIDATES_MAX = 50


@dataclass(frozen=True)
class SuggestedItem:
    """A post mixed into a feed from an educator the teacher does not follow, and why."""

    status: Status
    reason: str
    reasons: list[ReasonEntity] = field(default_factory=list)


def _similar_educators(viewer: Profile) -> dict[int, tuple[str, list[ReasonEntity]]]:
    """Candidate authors from the suggestion engine, best first, with the sentence and the
    structured reasons; only those with a reason beyond being widely followed."""
    found = suggested_authors(viewer, CANDIDATES_MAX)
    return {
        item.profile.pk: (item.reason, item.reasons_dicts())
        for item in found
        if any(reason.kind != "popular" and reason.weight > 0 for reason in item.reasons)
    }


def _preferred_by_author(statuses: Iterable[Status], wanted: Collection[str]) -> dict[int, Status]:
    """Each author's newest post in a way the teacher learns best from (an image or video
    for a visual learner, audio or video for an auditory one, text, links or documents for
    a textual one), or their newest post when none is. `statuses` come newest first."""
    newest: dict[int, Status] = {}
    preferred: dict[int, Status] = {}
    for status in statuses:
        newest.setdefault(status.account_id, status)
        if status.modality in wanted:
            preferred.setdefault(status.account_id, status)
    return {author: preferred.get(author, status) for author, status in newest.items()}


def suggested_items(
    viewer: Profile, *, count: int | None = None, exclude_ids: Collection[int] = ()
) -> list[SuggestedItem]:
    """Up to `count` (default: the teacher's preference; 0 = none) recent public posts, one
    per educator, from the most similar educators first."""
    if count is None:
        preferences = FeedPreferences.objects.filter(owner=viewer).first()
        count = preferences.suggested_per_page if preferences else SUGGESTED_PER_PAGE_DEFAULT
    if count <= 0:
        return []
    similar = _similar_educators(viewer)
    if not similar:
        return []
    recent = (
        visible_statuses(viewer)
        .filter(
            listed_q(),
            account_id__in=list(similar),
            reblog_of__isnull=True,
            in_reply_to__isnull=True,
            created_at__gte=timezone.now() - RECENT,
        )
        .exclude(pk__in=list(exclude_ids))
        .order_by("-id")
    )
    newest_by_author = _preferred_by_author(
        recent[: CANDIDATES_MAX * 4], modalities_for_learning_styles(viewer.learning_styles or [])
    )
    items = [
        SuggestedItem(
            status=newest_by_author[author],
            reason=similar[author][0],
            reasons=similar[author][1],
        )
        for author in similar
        if author in newest_by_author
    ]
    return items[:count]
