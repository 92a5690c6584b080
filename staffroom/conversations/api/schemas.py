"""Schemas of the conversations API: Mastodon's Conversation and what the list accepts.

The routes answer entities they built themselves (`core.api.prebuilt`); these schemas
document them, and tests hold the answers to them."""

from __future__ import annotations

from ninja import Schema

from staffroom.mastodon_api.entities import Account
from staffroom.posts.api.schemas import Status


class Conversation(Schema):
    """Mastodon's Conversation: a thread of direct posts as one teacher sees it. `accounts`
    are the other people in it (the owner alone for a note to self, as Mastodon);
    `last_status` the newest post of it the teacher may see."""

    id: str
    unread: bool
    accounts: list[Account]
    last_status: Status | None


class ConversationsQuery(Schema):
    """Mastodon's id pagination, read leniently as Mastodon reads it: `limit` defaults to
    20 and is clamped to 40 (0, a sign or junk never fail); a cursor that is not a number
    is ignored. Cursors are ids of last posts, as in the Link header."""

    limit: str | None = None
    max_id: str | None = None
    since_id: str | None = None
    min_id: str | None = None
