"""How a poll is shown on a post's card: its answers with their share of the votes, what
the viewer chose, and whether they may still vote. Built for a whole page at once."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.timesince import timeuntil

from staffroom.polls.selectors import own_votes, poll_views_for_statuses
from staffroom.profiles.models import Profile


@dataclass(frozen=True)
class PollOptionRow:
    position: int
    title: str
    votes: int
    percent: int
    chosen: bool


@dataclass(frozen=True)
class PollCard:
    id: int
    multiple: bool
    expires_at: datetime
    expired: bool
    votes_count: int
    voters_count: int
    is_own: bool
    signed_in: bool
    voted: bool
    totals_hidden: bool
    options: list[PollOptionRow] = field(default_factory=list)

    @property
    def can_vote(self) -> bool:
        return self.signed_in and not self.expired and not self.voted and not self.is_own

    @property
    def shows_results(self) -> bool:
        return not self.can_vote

    @property
    def time_left(self) -> str:
        return timeuntil(self.expires_at)


def poll_cards(status_ids: Collection[int], viewer: Profile | None) -> dict[int, PollCard]:
    """The polls of these posts by post id, as `viewer` sees them (two queries at most)."""
    views = poll_views_for_statuses(status_ids)
    if not views:
        return {}
    mine = own_votes(viewer, [view.poll.pk for view in views.values()])
    now = timezone.now()
    cards = {}
    for status_id, view in views.items():
        poll = view.poll
        expired = poll.expires_at <= now
        chosen = set(mine.get(poll.pk, []))
        # Percentages of voters on a multiple-choice poll (they may add past 100), of votes
        # otherwise, as Mastodon's web app shows them.
        base = poll.voters_count if poll.multiple else poll.votes_count
        cards[status_id] = PollCard(
            id=poll.pk,
            multiple=poll.multiple,
            expires_at=poll.expires_at,
            expired=expired,
            votes_count=poll.votes_count,
            voters_count=poll.voters_count,
            is_own=viewer is not None and poll.account_id == viewer.pk,
            signed_in=viewer is not None,
            voted=bool(chosen),
            totals_hidden=poll.hide_totals and not expired,
            options=[
                PollOptionRow(
                    position=option.position,
                    title=option.title,
                    votes=option.votes_count,
                    percent=round(100 * option.votes_count / base) if base else 0,
                    chosen=option.position in chosen,
                )
                for option in view.options
            ],
        )
    return cards
