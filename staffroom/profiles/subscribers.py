"""The per-profile counters (`ProfileStats`: followers, following, posts and the last
post's time) move here, and only here, with the domain events of follows and posts, in
the emitting transaction (`core/events.py`). Direct messages are not counted, as on
Mastodon; a post a moderator removed stops counting until it is restored."""

from __future__ import annotations

from staffroom.core.events import (
    BulkLoaded,
    FollowCreated,
    FollowDeleted,
    StatusCreated,
    StatusDeleted,
    StatusRemoved,
    StatusRestored,
    subscriber,
)
from staffroom.profiles.stats import stats_add, stats_recount

# posts.Visibility.DIRECT; the profiles app sits below posts and reads the event's value.
UNCOUNTED_VISIBILITIES = frozenset({"direct"})
COUNTED_MODELS = frozenset({"posts.Status", "graph.Follow"})


@subscriber(FollowCreated)
def count_follow(event: FollowCreated) -> None:
    stats_add(event.followee_id, "followers_count", 1)
    stats_add(event.follower_id, "following_count", 1)


@subscriber(FollowDeleted)
def uncount_follow(event: FollowDeleted) -> None:
    stats_add(event.followee_id, "followers_count", -1)
    stats_add(event.follower_id, "following_count", -1)


@subscriber(StatusCreated)
def count_status(event: StatusCreated) -> None:
    if event.visibility not in UNCOUNTED_VISIBILITIES:
        stats_add(event.account_id, "statuses_count", 1, at=event.created_at)


@subscriber(StatusDeleted)
def uncount_deleted_status(event: StatusDeleted) -> None:
    if event.visibility not in UNCOUNTED_VISIBILITIES and not event.was_removed:
        stats_add(event.account_id, "statuses_count", -1)


@subscriber(StatusRemoved)
def uncount_removed_status(event: StatusRemoved) -> None:
    if event.visibility not in UNCOUNTED_VISIBILITIES:
        stats_add(event.account_id, "statuses_count", -1)


@subscriber(StatusRestored)
def count_restored_status(event: StatusRestored) -> None:
    if event.visibility not in UNCOUNTED_VISIBILITIES:
        stats_add(event.account_id, "statuses_count", 1)


@subscriber(BulkLoaded)
def recount_after_bulk_load(event: BulkLoaded) -> None:
    if event.models & COUNTED_MODELS:
        stats_recount()
