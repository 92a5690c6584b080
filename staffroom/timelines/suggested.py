"""The feed seam for "from educators like you": recent public posts by discoverable
educators the teacher does not follow yet, who share their subjects or grades, each with
the reason.

Similarity comes from profile overlap (shared subjects count double, shared grades once)
until the recommendation engine is wired in (the who-to-follow issue): that change replaces
`_similar_educators` and nothing else. Never from accounts the teacher follows, blocks,
mutes or is blocked by, nor from accounts that are not discoverable or away.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from staffroom.graph.models import Follow
from staffroom.graph.selectors import blocked_ids_for, muted_ids_for
from staffroom.posts.models import Status, Visibility
from staffroom.posts.selectors import visible_statuses
from staffroom.profiles import taxonomy
from staffroom.profiles.models import Profile, ProfileTerm, TermKind
from staffroom.timelines.models import SUGGESTED_PER_PAGE_DEFAULT, FeedPreferences

RECENT = timedelta(days=14)
CANDIDATES_MAX = 50
WEIGHTS: dict[str, float] = {TermKind.SUBJECT.value: 2.0, TermKind.GRADE.value: 1.0}


@dataclass(frozen=True)
class SuggestedItem:
    """A post mixed into a feed from an educator the teacher does not follow, and why."""

    status: Status
    reason: str
    reasons: list[dict[str, object]] = field(default_factory=list)


def _labels(kind: str, slugs: list[str]) -> list[str]:
    terms = taxonomy.SUBJECTS if kind == TermKind.SUBJECT else taxonomy.GRADES
    return [taxonomy.label_of(terms, slug) for slug in slugs]


def _similar_educators(viewer: Profile) -> dict[int, list[dict[str, object]]]:
    """Candidate authors with the structured reasons they are similar, best first."""
    mine: dict[str, set[str]] = defaultdict(set)
    for kind, value in ProfileTerm.objects.filter(
        profile=viewer, kind__in=list(WEIGHTS)
    ).values_list("kind", "value"):
        mine[kind].add(value)
    if not mine:
        return {}
    excluded = (
        set(Follow.objects.filter(follower=viewer).values_list("followee_id", flat=True))
        | blocked_ids_for(viewer)
        | muted_ids_for(viewer)
        | {viewer.pk}
    )
    shared: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    overlap = Q()
    for kind, values in mine.items():
        overlap |= Q(kind=kind, value__in=values)
    rows = (
        ProfileTerm.objects.filter(overlap)
        .filter(
            profile__is_discoverable=True, profile__is_away=False, profile__limited_at__isnull=True
        )
        .exclude(profile_id__in=excluded)
        .values_list("profile_id", "kind", "value")
    )
    for profile_id, kind, value in rows:
        shared[profile_id][kind].append(value)
    scored = sorted(
        shared.items(),
        key=lambda item: -sum([WEIGHTS[kind] * len(values) for kind, values in item[1].items()]),
    )[:CANDIDATES_MAX]
    reasons: dict[int, list[dict[str, object]]] = {}
    for profile_id, by_kind in scored:
        reasons[profile_id] = [
            {
                "kind": f"shared_{kind}",
                "text": ", ".join(_labels(kind, sorted(values))),
                "weight": WEIGHTS[kind] * len(values),
            }
            for kind, values in by_kind.items()
        ]
    return reasons


def _sentence(reasons: list[dict[str, object]]) -> str:
    subjects = next((r["text"] for r in reasons if r["kind"] == "shared_subject"), "")
    grades = next((r["text"] for r in reasons if r["kind"] == "shared_grade"), "")
    if subjects and grades:
        return _("Teaches %(subjects)s in %(grades)s, like you") % {
            "subjects": subjects,
            "grades": grades,
        }
    if subjects:
        return _("Teaches %(subjects)s, like you") % {"subjects": subjects}
    return _("Teaches %(grades)s, like you") % {"grades": grades}


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
            account_id__in=list(similar),
            visibility=Visibility.PUBLIC,
            reblog_of__isnull=True,
            in_reply_to__isnull=True,
            created_at__gte=timezone.now() - RECENT,
        )
        .exclude(pk__in=list(exclude_ids))
        .order_by("-id")
    )
    newest_by_author: dict[int, Status] = {}
    for status in recent[: CANDIDATES_MAX * 4]:
        newest_by_author.setdefault(status.account_id, status)
    items = [
        SuggestedItem(
            status=newest_by_author[author],
            reason=_sentence(similar[author]),
            reasons=similar[author],
        )
        for author in similar
        if author in newest_by_author
    ]
    return items[:count]
