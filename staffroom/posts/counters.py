"""The posts counter and last-posted time (`profiles.ProfileStats`) moved with every status
row (posts, replies and reshares; direct messages are not counted, as on Mastodon), in the
same transaction."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from staffroom.posts.models import Status, Visibility
from staffroom.profiles.stats import stats_add


@receiver(post_save, sender=Status, dispatch_uid="posts-counters-status-created")
def _status_created(sender: type[Status], instance: Status, created: bool, **_: Any) -> None:
    if created and instance.visibility != Visibility.DIRECT:
        stats_add(instance.account_id, "statuses_count", 1, at=instance.created_at)


@receiver(post_delete, sender=Status, dispatch_uid="posts-counters-status-deleted")
def _status_deleted(sender: type[Status], instance: Status, **_: Any) -> None:
    if instance.visibility != Visibility.DIRECT:
        stats_add(instance.account_id, "statuses_count", -1)
