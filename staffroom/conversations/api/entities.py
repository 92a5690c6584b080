"""Mastodon's Conversation built from a page of conversation rows in a constant number of
queries: every participant's Account in one batch (`account_entities`), the last posts in
another (`status_entities`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

from django.http import HttpRequest

from staffroom.conversations.models import Conversation
from staffroom.mastodon_api.entities import AccountEntity, account_entities
from staffroom.posts.entities import StatusEntity, status_entities
from staffroom.profiles.models import Profile


class ConversationEntity(TypedDict):
    id: str
    unread: bool
    accounts: list[AccountEntity]
    last_status: StatusEntity | None


def _people(row: Conversation, viewer: Profile) -> list[Profile]:
    """The other people in it; the owner alone for a note to self (as Mastodon)."""
    return list(row.participants.all()) or [viewer]


def conversation_entities(
    page: Sequence[Conversation], viewer: Profile, request: HttpRequest | None
) -> list[ConversationEntity]:
    """Conversations for a page of the viewer's rows, loaded by the selectors (last posts
    with their authors, participants prefetched). `request` None (the streaming API)
    builds the same entities."""
    people = {profile.pk: profile for row in page for profile in _people(row, viewer)}
    accounts = {
        int(entity["id"]): entity
        for entity in account_entities(list(people.values()), request=request)
    }
    posts = [row.last_status for row in page if row.last_status is not None]
    statuses = {
        status.pk: entity
        for status, entity in zip(posts, status_entities(posts, viewer, request), strict=True)
    }
    return [
        {
            "id": str(row.pk),
            "unread": row.is_unread,
            "accounts": [accounts[profile.pk] for profile in _people(row, viewer)],
            "last_status": statuses.get(row.last_status_id) if row.last_status_id else None,
        }
        for row in page
    ]
