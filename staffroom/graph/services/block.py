"""Blocks and mutes, as Mastodon does them.

A block ends everything between the two both ways (follows, follow requests, the connection,
and each one's place in the other's purpose lists); afterwards neither sees the other's
profile anywhere (`staffroom.profiles.selectors._visible_to`) and neither can follow or
connect. A mute only hides: the muted account is never told and nothing else changes.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from staffroom.core.events import BlockCreated, BlockDeleted, MuteDeleted, MuteSaved, emit
from staffroom.core.exceptions import ValidationFailed
from staffroom.graph.models import Block, Connection, FollowRequest, Mute
from staffroom.graph.services._common import lock_pair, remove_from_lists_of, require_other
from staffroom.graph.services.follow import follows_delete
from staffroom.profiles.models import Profile

# A cap that keeps `now + duration` far from datetime's limits; about 100 years.
MUTE_DURATION_MAX_SECONDS = 100 * 365 * 24 * 3600


@transaction.atomic
def block_create(*, actor: Profile, target: Profile) -> Block:
    """`actor` blocks `target`; idempotent (blocking again returns the same row).

    Side effects, both ways: follows and follow requests deleted, any connection record
    deleted, each removed from the other's purpose lists. Mutes are kept (an unblock should
    not bring back someone the actor had also muted). Locks both profile rows (lock_pair).
    Emits BlockCreated (once, for a new block), FollowDeleted for each follow ended and
    ListMembersRemoved for the lists emptied of either. Raises ValidationFailed for oneself.
    """
    require_other(actor, target, _("You cannot block yourself."))
    lock_pair(actor, target)
    block, created = Block.objects.get_or_create(blocker=actor, blocked=target)
    if created:
        emit(BlockCreated(blocker_id=actor.pk, blocked_id=target.pk))
    pair = Q(follower=actor, followee=target) | Q(follower=target, followee=actor)
    follows_delete(pair)
    FollowRequest.objects.filter(pair).delete()
    Connection.objects.filter(
        Q(requester=actor, addressee=target) | Q(requester=target, addressee=actor)
    ).delete()
    remove_from_lists_of(actor, target)
    remove_from_lists_of(target, actor)
    return block


@transaction.atomic
def block_delete(*, actor: Profile, target: Profile) -> bool:
    """`actor` unblocks `target`; nothing ended by the block comes back. Emits BlockDeleted
    when there was a block. Idempotent: returns False when there was none."""
    deleted, _counts = Block.objects.filter(blocker=actor, blocked=target).delete()
    if deleted:
        emit(BlockDeleted(blocker_id=actor.pk, blocked_id=target.pk))
    return bool(deleted)


@transaction.atomic
def mute_create(
    *, actor: Profile, target: Profile, notifications: bool = True, duration: int | None = None
) -> Mute:
    """`actor` mutes `target`: hidden from feeds, and from notifications when
    `notifications`; for `duration` seconds, or indefinitely when it is None or 0.

    Muting again replaces the options and the expiry (as Mastodon does). Emits MuteSaved
    each time (stored feeds drop the muted account's rows). Raises ValidationFailed for
    oneself and for a negative or absurdly long duration.
    """
    require_other(actor, target, _("You cannot mute yourself."))
    if duration is not None and not 0 <= duration <= MUTE_DURATION_MAX_SECONDS:
        raise ValidationFailed(
            _("Duration must be between 0 and %(max)d seconds.")
            % {"max": MUTE_DURATION_MAX_SECONDS}
        )
    expires_at = timezone.now() + timedelta(seconds=duration) if duration else None
    mute, _created = Mute.objects.update_or_create(
        muter=actor,
        muted=target,
        defaults={"hide_notifications": notifications, "expires_at": expires_at},
    )
    emit(MuteSaved(muter_id=actor.pk, muted_id=target.pk, hide_notifications=notifications))
    return mute


@transaction.atomic
def mute_delete(*, actor: Profile, target: Profile) -> bool:
    """`actor` unmutes `target`. Idempotent: returns False when there was no mute (an expired
    mute still counts as one and is removed)."""
    deleted, _counts = Mute.objects.filter(muter=actor, muted=target).delete()
    if deleted:
        emit(MuteDeleted(muter_id=actor.pk, muted_id=target.pk))
    return bool(deleted)
