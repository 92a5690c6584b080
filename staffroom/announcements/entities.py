"""Mastodon's Announcement and Reaction entities, built for a whole list in a constant
number of queries (everyone's reactions, then the viewer's reads and reactions)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import NotRequired, TypedDict

from ninja import Schema
from pydantic import Field

from staffroom.announcements.models import Announcement as AnnouncementRow
from staffroom.announcements.selectors import marks_of, reaction_counts
from staffroom.emojis.entities import CustomEmojiEntity, emoji_entities_in
from staffroom.emojis.selectors import enabled_emojis
from staffroom.mastodon_api.entities import CustomEmoji
from staffroom.profiles.models import Profile


class ReactionEntity(TypedDict):
    """Mastodon's Reaction: `url` and `static_url` only for a custom emoji."""

    name: str
    count: int
    me: bool
    url: NotRequired[str]
    static_url: NotRequired[str]


class AnnouncementEntity(TypedDict):
    id: str
    content: str
    starts_at: str | None
    ends_at: str | None
    all_day: bool
    published_at: str
    updated_at: str
    read: bool
    mentions: list[object]
    statuses: list[object]
    tags: list[object]
    emojis: list[CustomEmojiEntity]
    reactions: list[ReactionEntity]


class Reaction(Schema):
    name: str
    count: int
    me: bool
    url: str | None = None
    static_url: str | None = None


class Announcement(Schema):
    """Mastodon's Announcement (`mentions`, `statuses` and `tags` are always empty)."""

    id: str
    content: str = Field(description="HTML")
    starts_at: str | None
    ends_at: str | None
    all_day: bool
    published_at: str
    updated_at: str
    read: bool
    mentions: list[dict[str, object]]
    statuses: list[dict[str, object]]
    tags: list[dict[str, object]]
    emojis: list[CustomEmoji]
    reactions: list[Reaction]


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _optional(value: datetime | None) -> str | None:
    return None if value is None else _timestamp(value)


def announcement_entities(
    announcements: Sequence[AnnouncementRow], viewer: Profile | None
) -> list[AnnouncementEntity]:
    """Announcements as `viewer` sees them (`read`, each reaction's `me`); three queries
    (and the cached map of custom emojis when a reaction or text uses one)."""
    ids = [announcement.pk for announcement in announcements]
    counts = reaction_counts(ids)
    marks = marks_of(viewer, ids)
    custom = enabled_emojis() if counts else {}
    built: list[AnnouncementEntity] = []
    for announcement in announcements:
        reactions: list[ReactionEntity] = []
        for row in counts.get(announcement.pk, []):
            reaction: ReactionEntity = {
                "name": row.name,
                "count": row.count,
                "me": row.name in marks.reacted.get(announcement.pk, set()),
            }
            image = custom.get(row.name)
            if image is not None:
                reaction["url"], reaction["static_url"] = image.url, image.static_url
            reactions.append(reaction)
        published = announcement.published_at or announcement.created_at
        built.append(
            {
                "id": str(announcement.pk),
                "content": announcement.content,
                "starts_at": _optional(announcement.starts_at),
                "ends_at": _optional(announcement.ends_at),
                "all_day": announcement.all_day,
                "published_at": _timestamp(published),
                "updated_at": _timestamp(announcement.updated_at),
                "read": announcement.pk in marks.read,
                "mentions": [],
                "statuses": [],
                "tags": [],
                "emojis": emoji_entities_in([announcement.content]),
                "reactions": reactions,
            }
        )
    return built
