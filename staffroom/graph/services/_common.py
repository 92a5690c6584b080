"""Checks the graph services share."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from staffroom.core.events import ListMembersAdded, ListMembersRemoved, emit
from staffroom.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from staffroom.core.ids import id_or_not_found
from staffroom.graph.models import Block, PurposeList, PurposeListMember
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


def add_to_lists(owner: Profile, member: Profile, list_ids: Iterable[int]) -> None:
    """File `member` into each of `owner`'s lists `list_ids` (already checked to be
    theirs); emits ListMembersAdded per list (also for a list that held them already:
    subscribers are idempotent)."""
    ids = list(list_ids)
    PurposeListMember.objects.bulk_create(
        [PurposeListMember(list_id=list_id, profile_id=member.pk) for list_id in ids],
        ignore_conflicts=True,
    )
    for list_id in ids:
        emit(ListMembersAdded(owner_id=owner.pk, list_id=list_id, profile_ids=(member.pk,)))


def add_members(purpose_list: PurposeList, profile_ids: list[int]) -> None:
    """File the accounts `profile_ids` (already checked) into `purpose_list`; emits
    ListMembersAdded."""
    PurposeListMember.objects.bulk_create(
        [PurposeListMember(list=purpose_list, profile_id=pk) for pk in profile_ids],
        ignore_conflicts=True,
    )
    emit(
        ListMembersAdded(
            owner_id=purpose_list.owner_id, list_id=purpose_list.pk, profile_ids=tuple(profile_ids)
        )
    )


def list_members_delete(owner_id: int, rows: QuerySet[PurposeListMember]) -> None:
    """Delete the membership rows `rows` (all in lists of `owner_id`) and emit
    ListMembersRemoved for each list that lost members: exactly the rows read are deleted,
    so the events name what went."""
    removed: dict[int, list[int]] = {}
    pks: list[int] = []
    for pk, list_id, profile_id in rows.values_list("pk", "list_id", "profile_id"):
        pks.append(pk)
        removed.setdefault(list_id, []).append(profile_id)
    if not pks:
        return
    PurposeListMember.objects.filter(pk__in=pks).delete()
    for list_id, profile_ids in removed.items():
        emit(ListMembersRemoved(owner_id=owner_id, list_id=list_id, profile_ids=tuple(profile_ids)))


def remove_from_lists_of(owner: Profile, member: Profile) -> None:
    """Take `member` out of every list `owner` has (lists hold only followed accounts)."""
    list_members_delete(
        owner.pk, PurposeListMember.objects.filter(list__owner=owner, profile=member)
    )
