"""How stored feeds follow what happens (domain events, `core/events.py`).

A new or restored post enqueues its fan-out in the emitting transaction (the job row is
written with the post, so a crash loses nothing). A follow, a followed hashtag or a list
addition enqueues a backfill. An unfollow, block, mute, list removal or a moderator's
removal deletes the rows it must at once, in the same transaction, with one indexed DELETE:
the next page is already right; unfollowing a hashtag deletes the rows only it brought.
Deleting a post cascades to its rows. After a bulk load every feed is rebuilt by the rules
fan-out uses.
"""

from __future__ import annotations

from django.db.models import Q

from staffroom.core.events import (
    BlockCreated,
    BulkLoaded,
    FollowCreated,
    FollowDeleted,
    ListMembersAdded,
    ListMembersRemoved,
    MuteSaved,
    StatusCreated,
    StatusRemoved,
    StatusRestored,
    TagFollowed,
    TagUnfollowed,
    subscriber,
)
from staffroom.core.jobs import enqueue
from staffroom.timelines.fanout import forget_tag, rebuild_all
from staffroom.timelines.models import FeedEntry
from staffroom.timelines.tasks import feed_backfill, feed_backfill_tag, status_fan_out

# What stored feeds are made from: a bulk load of any of these rebuilds them.
FEED_SOURCES = frozenset(
    {
        "posts.Status",
        "graph.Follow",
        "graph.PurposeListMember",
        "graph.Block",
        "graph.Mute",
        "hashtags.TagFollow",
    }
)


@subscriber(StatusCreated, StatusRestored)
def fan_out_status(event: StatusCreated | StatusRestored) -> None:
    enqueue(status_fan_out, status_id=event.status_id)


@subscriber(StatusRemoved)
def forget_removed_status(event: StatusRemoved) -> None:
    """A removed post leaves every feed, with the reshares of it."""
    FeedEntry.objects.filter(
        Q(status_id=event.status_id) | Q(status__reblog_of_id=event.status_id)
    ).delete()


@subscriber(FollowCreated)
def backfill_followee(event: FollowCreated) -> None:
    enqueue(feed_backfill, owner_id=event.follower_id, author_id=event.followee_id)


@subscriber(FollowDeleted)
def forget_unfollowed(event: FollowDeleted) -> None:
    FeedEntry.objects.filter(owner_id=event.follower_id, author_id=event.followee_id).delete()


def _forget(owner_id: int, other_id: int) -> None:
    FeedEntry.objects.filter(owner_id=owner_id).filter(
        Q(author_id=other_id) | Q(origin_author_id=other_id)
    ).delete()


@subscriber(BlockCreated)
def forget_blocked(event: BlockCreated) -> None:
    _forget(event.blocker_id, event.blocked_id)
    _forget(event.blocked_id, event.blocker_id)


@subscriber(MuteSaved)
def forget_muted(event: MuteSaved) -> None:
    _forget(event.muter_id, event.muted_id)


@subscriber(TagFollowed)
def backfill_followed_tag(event: TagFollowed) -> None:
    enqueue(feed_backfill_tag, owner_id=event.profile_id, tag_id=event.tag_id)


@subscriber(TagUnfollowed)
def forget_unfollowed_tag(event: TagUnfollowed) -> None:
    """Posts only the hashtag brought leave the home feed at once (fanout.forget_tag)."""
    forget_tag(owner_id=event.profile_id, tag_id=event.tag_id)


@subscriber(ListMembersAdded)
def backfill_list_members(event: ListMembersAdded) -> None:
    for profile_id in event.profile_ids:
        enqueue(feed_backfill, owner_id=event.owner_id, author_id=profile_id, list_id=event.list_id)


@subscriber(ListMembersRemoved)
def forget_list_members(event: ListMembersRemoved) -> None:
    FeedEntry.objects.filter(list_id=event.list_id, author_id__in=event.profile_ids).delete()


@subscriber(BulkLoaded)
def rebuild_after_bulk_load(event: BulkLoaded) -> None:
    if event.models & FEED_SOURCES:
        rebuild_all()
