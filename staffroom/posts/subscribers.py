"""How posts' public counters follow an author's standing (domain events, `core/events.py`).

A suspended author's replies, reshares and favourites are hidden from everyone, so they
stop counting on the posts they answer, reshare or favourite (`posts.counters`), and count
again when the suspension is lifted. Both run in the emitting transaction.
"""

from __future__ import annotations

from staffroom.core.events import AccountSuspended, AccountUnsuspended, subscriber
from staffroom.posts.counters import counted_parents_of, counts_recount


@subscriber(AccountSuspended)
def recount_after_suspension(event: AccountSuspended) -> None:
    counts_recount(counted_parents_of(event.profile_id))


@subscriber(AccountUnsuspended)
def recount_after_unsuspension(event: AccountUnsuspended) -> None:
    counts_recount(counted_parents_of(event.profile_id))
