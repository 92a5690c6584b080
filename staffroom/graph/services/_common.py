"""Checks the graph services share."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from staffroom.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from staffroom.core.ids import id_or_not_found
from staffroom.graph.models import Block, PurposeList, PurposeListMember
from staffroom.graph.signals import list_members_added
from staffroom.profiles.models import Profile

NOT_FOUND = "Record not found"


def require_other(actor: Profile, target: Profile, message: str) -> None:
    if actor.pk == target.pk:
        raise ValidationFailed(message)


def require_reachable(actor: Profile, target: Profile) -> None:
    """Refuse a target that cannot take part in a relationship with `actor`.

    NotFound for an account not in good standing (pending, rejected, deactivated) and for
    one that blocks `actor`: to the blocked person the blocker does not exist, so the answer
    is the same as for an unknown id. PermissionDenied when `actor` blocks the target: they
    know, and the message tells them what to do.
    """
    if not Profile.objects.in_good_standing().filter(pk=target.pk).exists():
        raise NotFound(NOT_FOUND)
    if Block.objects.filter(blocker=target, blocked=actor).exists():
        raise NotFound(NOT_FOUND)
    if Block.objects.filter(blocker=actor, blocked=target).exists():
        raise PermissionDenied(_("You have blocked this account. Unblock it first."))


def lock_pair(first: Profile, second: Profile) -> dict[int, Profile]:
    """Lock both profile rows, lower id first (one order everywhere, so no deadlock), and
    return them fresh by id.

    Every service that creates a relationship, and block_create, takes this lock: a follow
    or connection racing a block between the same two people then runs strictly before or
    after it, never leaving a follow beside a block. FOR NO KEY UPDATE does not conflict
    with the key-share locks that inserting graph rows takes. A no-op on SQLite, which
    serialises writers anyway.
    """
    rows = Profile.objects.select_for_update(no_key=True).filter(pk__in=[first.pk, second.pk])
    return {profile.pk: profile for profile in rows.order_by("pk")}


parse_id = id_or_not_found  # one rule for ids everywhere (core/ids.py)


def own_list_ids(actor: Profile, list_ids: Iterable[object]) -> list[int]:
    """The given ids, each checked to be one of `actor`'s lists (NotFound otherwise, the
    same answer for another person's list as for an unknown one)."""
    ids = list(dict.fromkeys(parse_id(value) for value in list_ids))
    found = set(PurposeList.objects.filter(owner=actor, pk__in=ids).values_list("pk", flat=True))
    if len(found) != len(ids):
        raise NotFound(NOT_FOUND)
    return ids


def add_to_lists(member: Profile, list_ids: Iterable[int]) -> None:
    pairs = [(list_id, member.pk) for list_id in list_ids]
    PurposeListMember.objects.bulk_create(
        [PurposeListMember(list_id=list_id, profile_id=pk) for list_id, pk in pairs],
        ignore_conflicts=True,
    )
    list_members_added.send(sender=PurposeListMember, pairs=pairs)


def remove_from_lists_of(owner: Profile, member: Profile) -> None:
    """Take `member` out of every list `owner` has (lists hold only followed accounts)."""
    PurposeListMember.objects.filter(list__owner=owner, profile=member).delete()
