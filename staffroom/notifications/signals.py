"""Receivers that enqueue the notification jobs (`tasks.py`) when a follow, a follow
request, a connection, a favourite or a post is written. `enqueue` runs after the
transaction commits, so a rolled-back write notifies nobody."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from staffroom.core.jobs import enqueue
from staffroom.graph.models import Connection, Follow, FollowRequest
from staffroom.notifications import tasks
from staffroom.posts.models import Favourite, Status


@receiver(post_save, sender=Follow, dispatch_uid="notifications-follow")
def _follow(sender: type[Follow], instance: Follow, created: bool, **_: Any) -> None:
    if created and not instance.is_quiet:
        enqueue(tasks.notify_follow, follow_id=instance.pk)


@receiver(post_save, sender=FollowRequest, dispatch_uid="notifications-follow-request")
def _follow_request(
    sender: type[FollowRequest], instance: FollowRequest, created: bool, **_: Any
) -> None:
    if created and not instance.is_quiet:
        enqueue(tasks.notify_follow_request, request_id=instance.pk)


@receiver(post_save, sender=Connection, dispatch_uid="notifications-connection")
def _connection(sender: type[Connection], instance: Connection, **_: Any) -> None:
    """An ask (created) and an acceptance (saved with its new state) each tell someone;
    the job reads the state it finds."""
    enqueue(tasks.notify_connection, connection_id=instance.pk)


@receiver(post_save, sender=Favourite, dispatch_uid="notifications-favourite")
def _favourite(sender: type[Favourite], instance: Favourite, created: bool, **_: Any) -> None:
    if created:
        enqueue(tasks.notify_favourite, favourite_id=instance.pk)


@receiver(post_save, sender=Status, dispatch_uid="notifications-status")
def _status(sender: type[Status], instance: Status, created: bool, **_: Any) -> None:
    if created:
        enqueue(tasks.notify_status, status_id=instance.pk)
