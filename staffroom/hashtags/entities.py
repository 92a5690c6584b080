"""Mastodon's Tag and FeaturedTag entities, built a page at a time in a constant number of
queries (history, following and featuring are each one query for the whole page)."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from typing import NotRequired, TypedDict

from staffroom.hashtags.models import FeaturedTag
from staffroom.hashtags.selectors import (
    HistoryDay,
    featured_tag_ids,
    featured_uses,
    followed_tag_ids,
    history_days,
    tag_history,
)
from staffroom.posts.models import Tag
from staffroom.posts.services import tag_url
from staffroom.profiles.models import Profile


class TagHistoryEntity(TypedDict):
    """One day: `day` is midnight UTC as a Unix timestamp, all three are strings."""

    day: str
    uses: str
    accounts: str


class TagEntity(TypedDict):
    """Mastodon's Tag: `following` and `featuring` only for a signed-in viewer."""

    id: str
    name: str
    url: str
    history: list[TagHistoryEntity]
    following: NotRequired[bool]
    featuring: NotRequired[bool]


class FeaturedTagEntity(TypedDict):
    """Mastodon's FeaturedTag: `statuses_count` as a string, `last_status_at` a date."""

    id: str
    name: str
    url: str
    statuses_count: str
    last_status_at: str | None


def tag_entities(tags: Sequence[Tag], viewer: Profile | None) -> list[TagEntity]:
    """Tag entities for `tags` (a tag not saved yet, for a name nobody used, has id "" and
    a history of zeros), as `viewer` sees them: three queries for any number of tags."""
    ids = [tag.pk for tag in tags if tag.pk]
    history = tag_history(ids)
    unused = [HistoryDay(day, 0, 0) for day in history_days()]  # a tag nobody used yet
    following = followed_tag_ids(viewer, ids)
    featuring = featured_tag_ids(viewer, ids)
    entities: list[TagEntity] = []
    for tag in tags:
        entity: TagEntity = {
            "id": str(tag.pk) if tag.pk else "",
            "name": tag.name,
            "url": tag_url(tag.name),
            "history": [
                {
                    "day": str(calendar.timegm(day.day.timetuple())),
                    "uses": str(day.uses),
                    "accounts": str(day.accounts),
                }
                for day in history.get(tag.pk, unused)
            ],
        }
        if viewer is not None:
            entity["following"] = tag.pk in following
            entity["featuring"] = tag.pk in featuring
        entities.append(entity)
    return entities


def featured_tag_entities(profile: Profile, rows: Sequence[FeaturedTag]) -> list[FeaturedTagEntity]:
    """FeaturedTag entities for `profile`'s featured `rows` (tags loaded): one query."""
    uses = featured_uses(profile, [row.tag_id for row in rows])
    return [
        {
            "id": str(row.pk),
            "name": row.tag.name,
            "url": tag_url(row.tag.name),
            "statuses_count": str(uses[row.tag_id].statuses_count),
            "last_status_at": (
                last.date().isoformat()
                if (last := uses[row.tag_id].last_status_at) is not None
                else None
            ),
        }
        for row in rows
    ]
