"""Followers and following counters (`profiles.ProfileStats`) moved with every follow row,
in the same transaction, whichever service (or cascade) made or removed it."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from staffroom.graph.models import Follow
from staffroom.profiles.stats import stats_add


@receiver(post_save, sender=Follow, dispatch_uid="graph-counters-follow-created")
def _follow_created(sender: type[Follow], instance: Follow, created: bool, **_: Any) -> None:
    if created:
        stats_add(instance.followee_id, "followers_count", 1)
        stats_add(instance.follower_id, "following_count", 1)


@receiver(post_delete, sender=Follow, dispatch_uid="graph-counters-follow-deleted")
def _follow_deleted(sender: type[Follow], instance: Follow, **_: Any) -> None:
    stats_add(instance.followee_id, "followers_count", -1)
    stats_add(instance.follower_id, "following_count", -1)
