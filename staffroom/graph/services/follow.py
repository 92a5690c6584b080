"""Follows and follow requests.

Every function runs in one transaction and takes profiles (actors). The interfaces resolve
ids to profiles through `staffroom.profiles.selectors` first, so an account the actor may
not see is already a NotFound there; the checks here hold for any caller.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from staffroom.core.events import FollowCreated, FollowDeleted, FollowRequested, emit
from staffroom.core.exceptions import NotFound, ValidationFailed
from staffroom.graph.models import (
    Connection,
    Follow,
    FollowRequest,
    PurposeList,
    PurposeListMember,
)
from staffroom.graph.services._common import (
    NOT_FOUND,
    add_to_lists,
    list_members_delete,
    lock_pair,
    own_list_ids,
    remove_from_lists_of,
    require_other,
    require_reachable,
)
from staffroom.profiles.models import Profile


def follow_make(
    *,
    follower: Profile,
    followee: Profile,
    quiet: bool = False,
    notify: bool = False,
    reblogs: bool = True,
    list_ids: Sequence[int] = (),
) -> Follow:
    """Create (or fetch) the follow row and put `followee` in the given lists of `follower`.

    No checks: the callers (follow_create, request authorization, connection accept) have
    made them. Safe under concurrency: the unique constraint settles a race and the loser
    reads the winner's row. A pending request between the two is removed, and the purposes
    chosen with it are applied (lists deleted since are skipped). Emits FollowCreated when
    the row is new (counters, feed backfill, the followee's notification subscribe).
    """
    follow, created = Follow.objects.get_or_create(
        follower=follower,
        followee=followee,
        defaults={"is_quiet": quiet, "notify": notify, "show_reblogs": reblogs},
    )
    if created:
        emit(
            FollowCreated(
                follow_id=follow.pk,
                follower_id=follower.pk,
                followee_id=followee.pk,
                is_quiet=follow.is_quiet,
            )
        )
    pending = FollowRequest.objects.filter(follower=follower, followee=followee)
    chosen = [pk for ids in pending.values_list("purpose_list_ids", flat=True) for pk in ids]
    pending.delete()
    add_to_lists(follower, followee, own_list_ids_lenient(follower, [*list_ids, *chosen]))
    return follow


@transaction.atomic
def follow_create(
    *,
    actor: Profile,
    target: Profile,
    purposes: Sequence[int | str] = (),
    quiet: bool | None = None,
    notify: bool | None = None,
    reblogs: bool | None = None,
) -> Follow | FollowRequest:
    """`actor` follows `target`, filing the target under the purpose lists `purposes`.

    Returns the Follow, or a FollowRequest when the target is locked and not yet followed.
    Options left as None take the defaults (not quiet, no `notify`, `reblogs` on) for a new
    follow and are kept as they are for an existing one. Idempotent, as Mastodon is:
    following again returns the same row with the options given updated, and adds any
    purposes given (it never removes one; see follow_set_purposes). Purposes chosen with a
    request take effect on authorization.

    Locks both profile rows (lock_pair), so a concurrent block cannot leave a follow behind.
    Raises ValidationFailed for oneself; NotFound for an account not in good standing, one
    that blocks the actor, or a purpose list that is not the actor's; PermissionDenied when
    the actor blocks the target.
    """
    require_other(actor, target, _("You cannot follow yourself."))
    fresh = lock_pair(actor, target).get(target.pk)
    if fresh is None:  # deleted meanwhile
        raise NotFound(NOT_FOUND)
    target_is_locked = fresh.is_locked
    require_reachable(actor, target)
    list_ids = own_list_ids(actor, purposes)
    given = {
        name: value
        for name, value in (("is_quiet", quiet), ("notify", notify), ("show_reblogs", reblogs))
        if value is not None
    }
    existing = Follow.objects.filter(follower=actor, followee=target).first()
    if existing is not None:
        if given:
            Follow.objects.filter(pk=existing.pk).update(**given)
            existing.refresh_from_db()
        add_to_lists(actor, target, list_ids)
        return existing
    options = {"is_quiet": False, "notify": False, "show_reblogs": True, **given}
    if not target_is_locked:
        return follow_make(
            follower=actor,
            followee=target,
            quiet=options["is_quiet"],
            notify=options["notify"],
            reblogs=options["show_reblogs"],
            list_ids=list_ids,
        )
    request, created = FollowRequest.objects.get_or_create(
        follower=actor, followee=target, defaults={**options, "purpose_list_ids": list_ids}
    )
    if created:
        emit(
            FollowRequested(
                request_id=request.pk,
                follower_id=actor.pk,
                followee_id=target.pk,
                is_quiet=request.is_quiet,
            )
        )
    else:
        merged = list(dict.fromkeys([*request.purpose_list_ids, *list_ids]))
        FollowRequest.objects.filter(pk=request.pk).update(**given, purpose_list_ids=merged)
        request.refresh_from_db()
    return request


def follows_delete(which: Q) -> int:
    """Delete the follows matching `which`, emitting FollowDeleted for each (counters and
    stored feeds subscribe); returns how many went."""
    pairs = list(Follow.objects.filter(which).values_list("pk", "follower_id", "followee_id"))
    if not pairs:
        return 0
    Follow.objects.filter(pk__in=[pk for pk, _follower, _followee in pairs]).delete()
    for _pk, follower_id, followee_id in pairs:
        emit(FollowDeleted(follower_id=follower_id, followee_id=followee_id))
    return len(pairs)


def _end_connection(first: Profile, second: Profile) -> None:
    Connection.objects.filter(
        Q(requester=first, addressee=second) | Q(requester=second, addressee=first)
    ).delete()


def _unfollow(follower: Profile, followee: Profile) -> bool:
    """Remove the follow (or pending request) of `follower` for `followee`, end any connection
    between them and take `followee` out of `follower`'s lists. True if anything was removed.
    """
    follows = follows_delete(Q(follower=follower, followee=followee))
    requests, _counts = FollowRequest.objects.filter(follower=follower, followee=followee).delete()
    if follows or requests:
        _end_connection(follower, followee)
        remove_from_lists_of(follower, followee)
    return bool(follows or requests)


@transaction.atomic
def follow_delete(*, actor: Profile, target: Profile) -> bool:
    """`actor` unfollows `target`, or withdraws a pending follow request.

    Also ends (or withdraws) any connection between the two, since a connection is a mutual
    follow, and takes `target` out of the actor's purpose lists (as Mastodon, lists hold only
    followed accounts). Idempotent: returns False when there was nothing to undo.
    """
    return _unfollow(actor, target)


@transaction.atomic
def follower_remove(*, actor: Profile, follower: Profile) -> bool:
    """`actor` removes `follower` from their followers (Mastodon's `remove_from_followers`).

    Same effects as `follower` unfollowing `actor`, pending request included. Idempotent:
    returns False when `follower` did not follow.
    """
    return _unfollow(follower, actor)


def _pending_request(actor: Profile, requester: Profile) -> FollowRequest:
    request = (
        FollowRequest.objects.select_for_update().filter(follower=requester, followee=actor).first()
    )
    if request is None:
        raise NotFound(NOT_FOUND)
    return request


def follow_request_approve(request: FollowRequest) -> Follow:
    """Turn a pending request into a follow with the options and purposes it was made with
    (purpose lists the follower has deleted since are skipped). No checks; callers make them.
    """
    return follow_make(
        follower=request.follower,
        followee=request.followee,
        quiet=request.is_quiet,
        notify=request.notify,
        reblogs=request.show_reblogs,
    )


def own_list_ids_lenient(owner: Profile, list_ids: Sequence[int]) -> list[int]:
    """Those of `list_ids` that are still `owner`'s lists."""
    return list(
        PurposeList.objects.filter(owner=owner, pk__in=list(list_ids)).values_list("pk", flat=True)
    )


@transaction.atomic
def follow_request_authorize(*, actor: Profile, requester: Profile) -> Follow:
    """`actor` (the locked account) accepts `requester`'s pending follow request (both
    profile rows locked, as in follow_create).

    Raises NotFound when there is no pending request from `requester`.
    """
    lock_pair(actor, requester)
    return follow_request_approve(_pending_request(actor, requester))


@transaction.atomic
def follow_request_reject(*, actor: Profile, requester: Profile) -> None:
    """`actor` rejects `requester`'s pending follow request (deleting it).

    Raises NotFound when there is no pending request from `requester`.
    """
    _pending_request(actor, requester).delete()


@transaction.atomic
def follow_set_purposes(
    *, actor: Profile, target: Profile, list_ids: Sequence[int | str]
) -> list[int]:
    """Set exactly which of `actor`'s purpose lists hold `target`; returns the list ids.

    For a pending follow request, the choice is stored and applied on authorization.
    Raises NotFound for a list that is not the actor's; ValidationFailed when the actor
    neither follows nor has asked to follow `target` (lists hold only followed accounts).
    """
    ids = own_list_ids(actor, list_ids)
    if Follow.objects.filter(follower=actor, followee=target).exists():
        list_members_delete(
            actor.pk,
            PurposeListMember.objects.filter(list__owner=actor, profile=target).exclude(
                list_id__in=ids
            ),
        )
        add_to_lists(actor, target, ids)
        return ids
    updated = FollowRequest.objects.filter(follower=actor, followee=target).update(
        purpose_list_ids=ids
    )
    if not updated:
        raise ValidationFailed(_("You can only give purposes to accounts you follow."))
    return ids
