"""Mastodon's Poll entity, built from a `PollView` (wire formats stay out of the models).

As on Mastodon: with `hide_totals` each answer's `votes_count` is null until the poll ends
(for its author too); `voted` and `own_votes` only for a signed-in viewer, and the author
counts as having voted (there is nothing left for them to do).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Never, NotRequired, TypedDict

from django.utils import timezone

from staffroom.polls.selectors import OwnVotes, PollView
from staffroom.profiles.models import Profile


class PollOptionEntity(TypedDict):
    title: str
    votes_count: int | None


class PollEntity(TypedDict):
    """Mastodon 4.3's Poll."""

    id: str
    expires_at: str | None
    expired: bool
    multiple: bool
    votes_count: int
    voters_count: int | None
    options: list[PollOptionEntity]
    emojis: list[Never]
    voted: NotRequired[bool]
    own_votes: NotRequired[list[int]]


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def poll_entity(view: PollView, viewer: Profile | None, own_votes: OwnVotes) -> PollEntity:
    """The Poll as `viewer` sees it; `own_votes` holds the viewer's choices by poll id
    (`polls.selectors.own_votes`)."""
    poll = view.poll
    mine = own_votes.get(poll.pk, [])
    expired = poll.expires_at <= timezone.now()
    show_totals = expired or not poll.hide_totals
    entity: PollEntity = {
        "id": str(poll.pk),
        "expires_at": _timestamp(poll.expires_at),
        "expired": expired,
        "multiple": poll.multiple,
        "votes_count": poll.votes_count,
        "voters_count": poll.voters_count,
        "options": [
            {"title": option.title, "votes_count": option.votes_count if show_totals else None}
            for option in view.options
        ],
        "emojis": [],
    }
    if viewer is not None:
        entity["voted"] = poll.account_id == viewer.pk or bool(mine)
        entity["own_votes"] = list(mine)
    return entity
