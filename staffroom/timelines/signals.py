"""How the rest of the product reaches stored feeds, without knowing about them.

A new post enqueues its fan-out in the same transaction (the job row is written with the
post, so a crash loses nothing). A follow, or a list addition (the graph's
`list_members_added`: members are added in bulk, which sends no post_save), enqueues a
backfill. An unfollow, block, mute or list removal deletes the rows it must at once, in the
same transaction, with one indexed DELETE: the next page is already right. Deleting a post
cascades to its rows.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from staffroom.core.jobs import enqueue
from staffroom.graph.models import Block, Follow, Mute, PurposeList, PurposeListMember
from staffroom.graph.signals import list_members_added
from staffroom.posts.models import Status
from staffroom.timelines.models import FeedEntry
from staffroom.timelines.tasks import feed_backfill, status_fan_out


@receiver(post_save, sender=Status, dispatch_uid="timelines-status-created")
def _status_created(sender: type[Status], instance: Status, created: bool, **_: Any) -> None:
    if created:
        enqueue(status_fan_out, status_id=instance.pk)


@receiver(post_save, sender=Follow, dispatch_uid="timelines-follow-created")
def _follow_created(sender: type[Follow], instance: Follow, created: bool, **_: Any) -> None:
    if created:
        enqueue(feed_backfill, owner_id=instance.follower_id, author_id=instance.followee_id)


@receiver(post_delete, sender=Follow, dispatch_uid="timelines-follow-deleted")
def _follow_deleted(sender: type[Follow], instance: Follow, **_: Any) -> None:
    FeedEntry.objects.filter(owner_id=instance.follower_id, author_id=instance.followee_id).delete()


def _forget(owner_id: int, other_id: int) -> None:
    FeedEntry.objects.filter(owner_id=owner_id).filter(
        Q(author_id=other_id) | Q(origin_author_id=other_id)
    ).delete()


@receiver(post_save, sender=Block, dispatch_uid="timelines-block-created")
def _block_created(sender: type[Block], instance: Block, created: bool, **_: Any) -> None:
    if created:
        _forget(instance.blocker_id, instance.blocked_id)
        _forget(instance.blocked_id, instance.blocker_id)


@receiver(post_save, sender=Mute, dispatch_uid="timelines-mute-saved")
def _mute_saved(sender: type[Mute], instance: Mute, **_: Any) -> None:
    _forget(instance.muter_id, instance.muted_id)


@receiver(list_members_added, dispatch_uid="timelines-members-added")
def _members_added(sender: type[PurposeListMember], pairs: list[tuple[int, int]], **_: Any) -> None:
    owners = dict(
        PurposeList.objects.filter(pk__in={list_id for list_id, _pk in pairs}).values_list(
            "pk", "owner_id"
        )
    )
    for list_id, profile_id in pairs:
        if list_id in owners:
            enqueue(feed_backfill, owner_id=owners[list_id], author_id=profile_id, list_id=list_id)


@receiver(post_delete, sender=PurposeListMember, dispatch_uid="timelines-member-removed")
def _member_removed(sender: type[PurposeListMember], instance: PurposeListMember, **_: Any) -> None:
    FeedEntry.objects.filter(list_id=instance.list_id, author_id=instance.profile_id).delete()
