"""What moderators do to a post, done by the app that owns posts: removing it (hidden
from everyone, kept for an appeal), restoring it, and marking it sensitive.

The moderation app checks roles, keeps the audit log and calls these; stored feeds and
counters follow the events emitted here (`core/events.py`), so moderation writes no table
of another app.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from staffroom.core.events import StatusEdited, StatusRemoved, StatusRestored, emit
from staffroom.posts.counters import counts_on_parent
from staffroom.posts.models import Status


def _move_parent_counter(status: Status, delta: int) -> None:
    """A reply or reshare a moderator removes (or restores) stops (or starts again) counting
    on the post it answers or reshares, if it counted there at all (`posts.counters`)."""
    if not counts_on_parent(visibility=status.visibility):
        return
    author = Status.objects.select_related("account__user").get(pk=status.pk).account
    if not author.is_in_good_standing:  # a suspended author's rows count nowhere already
        return
    if status.in_reply_to_id is not None:
        Status.objects.filter(pk=status.in_reply_to_id).update(
            replies_count=Greatest(F("replies_count") + delta, 0)
        )
    if status.reblog_of_id is not None:
        Status.objects.filter(pk=status.reblog_of_id).update(
            reblogs_count=Greatest(F("reblogs_count") + delta, 0)
        )


@transaction.atomic
def status_remove(*, status: Status) -> bool:
    """Hide `status` from everyone, its author included; its reshares leave every feed with
    it, and it no longer counts on the post it answers or reshares. Emits StatusRemoved.
    Idempotent: False when it was removed already."""
    removed_at = timezone.now()
    if not Status.objects.filter(pk=status.pk, removed_at__isnull=True).update(
        removed_at=removed_at
    ):
        return False
    status.removed_at = removed_at
    _move_parent_counter(status, -1)
    emit(
        StatusRemoved(
            status_id=status.pk, account_id=status.account_id, visibility=status.visibility
        )
    )
    return True


@transaction.atomic
def status_restore(*, status: Status) -> bool:
    """Bring a removed post back where it was (fan-out puts it in the feeds again). Emits
    StatusRestored. Idempotent: False when it was not removed."""
    if not Status.objects.filter(pk=status.pk, removed_at__isnull=False).update(removed_at=None):
        return False
    status.removed_at = None
    _move_parent_counter(status, +1)
    emit(
        StatusRestored(
            status_id=status.pk,
            account_id=status.account_id,
            visibility=status.visibility,
            created_at=status.created_at,
        )
    )
    return True


@transaction.atomic
def status_mark_sensitive(*, status: Status) -> bool:
    """Fold the post's media and text behind a warning. False when it already was."""
    if not Status.objects.filter(pk=status.pk, sensitive=False).update(sensitive=True):
        return False
    status.sensitive = True
    emit(StatusEdited(status_id=status.pk, account_id=status.account_id))
    return True
