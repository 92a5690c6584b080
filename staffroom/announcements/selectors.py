"""Reads of announcements: the ones in force, everyone's reactions and one teacher's marks,
each a single query for a whole list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from staffroom.announcements.models import Announcement, AnnouncementReaction, AnnouncementRead
from staffroom.profiles.models import Profile


def active_announcements() -> QuerySet[Announcement]:
    """Published announcements whose event has not ended, oldest event first (as
    Mastodon's `chronological`: by start, else by publication)."""
    now = timezone.now()
    return (
        Announcement.objects.filter(published_at__isnull=False)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .order_by(Coalesce("starts_at", "published_at").asc(), "id")
    )


def active_announcement(announcement_id: int) -> Announcement | None:
    return active_announcements().filter(pk=announcement_id).first()


def announcements_for_admin() -> QuerySet[Announcement]:
    """Every announcement, drafts and ended ones too, newest first."""
    return Announcement.objects.order_by("-created_at", "-id")


@dataclass(frozen=True)
class ReactionCount:
    name: str
    count: int


@dataclass
class Marks:
    """One teacher's marks on a list of announcements."""

    read: set[int] = field(default_factory=set)
    reacted: dict[int, set[str]] = field(default_factory=dict)


def reaction_counts(announcement_ids: Sequence[int]) -> dict[int, list[ReactionCount]]:
    """Everyone's reactions per announcement, by name, in order of the first reaction."""
    rows = (
        AnnouncementReaction.objects.filter(announcement_id__in=announcement_ids)
        .values("announcement_id", "name")
        .annotate(count=Count("id"), first=Min("id"))
        .order_by("announcement_id", "first")
    )
    found: dict[int, list[ReactionCount]] = {}
    for row in rows:
        found.setdefault(row["announcement_id"], []).append(
            ReactionCount(row["name"], row["count"])
        )
    return found


def marks_of(viewer: Profile | None, announcement_ids: Sequence[int]) -> Marks:
    """Which of the announcements `viewer` dismissed and their own reactions (two queries;
    none for nobody)."""
    marks = Marks()
    if viewer is None or not announcement_ids:
        return marks
    marks.read = set(
        AnnouncementRead.objects.filter(
            account=viewer, announcement_id__in=announcement_ids
        ).values_list("announcement_id", flat=True)
    )
    reactions = AnnouncementReaction.objects.filter(
        account=viewer, announcement_id__in=announcement_ids
    ).values_list("announcement_id", "name")
    for announcement_id, name in reactions:
        marks.reacted.setdefault(announcement_id, set()).add(name)
    return marks


def unread_announcements(viewer: Profile) -> list[Announcement]:
    """The announcements in force that `viewer` has not dismissed (the home page banner)."""
    return list(
        active_announcements().exclude(
            pk__in=AnnouncementRead.objects.filter(account=viewer).values("announcement_id")
        )
    )
