"""Changing what suggestions know: "not for me", and starter packs (curating and following).

Every function runs in one transaction; a starter pack's "follow all" reports each account
(followed, requested, already followed, unavailable) instead of failing on the first.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.utils.translation import gettext as _

from staffroom.accounts.models import StaffRole
from staffroom.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from staffroom.core.ids import id_or_not_found
from staffroom.core.text import one_spaced_line
from staffroom.graph.models import Block, Follow, FollowRequest
from staffroom.graph.services._common import own_list_ids
from staffroom.graph.services.follow import follow_create
from staffroom.graph.services.lists import purpose_list_create
from staffroom.profiles import taxonomy
from staffroom.profiles.models import Profile
from staffroom.recommendations.models import (
    PACK_ACCOUNTS_MAX,
    PACK_DESCRIPTION_MAX_LENGTH,
    PACK_TITLE_MAX_LENGTH,
    Dismissal,
    StarterPack,
    StarterPackMember,
)

NOT_FOUND = "Record not found"


def _suggestable_target(actor: Profile, target_id: int | str) -> Profile:
    """A profile `actor` may be shown: in good standing, not blocking them (NotFound)."""
    pk = id_or_not_found(target_id)
    target = Profile.objects.in_good_standing().filter(pk=pk).first()
    if target is None or Block.objects.filter(blocker=target, blocked=actor).exists():
        raise NotFound(NOT_FOUND)
    return target


@transaction.atomic
def suggestion_dismiss(*, actor: Profile, target_id: int | str) -> Dismissal:
    """ "Not for me": `target` is never suggested to `actor` again, and accounts with a
    profile like theirs rank lower. Idempotent. NotFound for an unknown account;
    ValidationFailed for oneself."""
    target = _suggestable_target(actor, target_id)
    if target.pk == actor.pk:
        raise ValidationFailed(_("You cannot dismiss yourself."))
    dismissal, _created = Dismissal.objects.get_or_create(profile=actor, dismissed=target)
    return dismissal


@transaction.atomic
def suggestion_undismiss(*, actor: Profile, target_id: int | str) -> bool:
    """Take back a "not for me". True if there was one."""
    pk = id_or_not_found(target_id)
    deleted, _rows = Dismissal.objects.filter(profile=actor, dismissed_id=pk).delete()
    return deleted > 0


# --- starter packs -------------------------------------------------------------------------


def _may_edit(actor: Profile, pack: StarterPack) -> bool:
    user = actor.user
    admin = user is not None and (user.is_superuser or user.role == StaffRole.ADMIN)
    return pack.curator_id == actor.pk or admin


def pack_for_editing(*, actor: Profile, pack_id: int | str) -> StarterPack:
    """The pack, if `actor` curates it or administers the server. NotFound for an unknown
    pack; PermissionDenied for someone else's."""
    pack = StarterPack.objects.filter(pk=id_or_not_found(pack_id)).first()
    if pack is None:
        raise NotFound(NOT_FOUND)
    if not _may_edit(actor, pack):
        raise PermissionDenied(_("Only the curator or an administrator can change this pack."))
    return pack


@dataclass(frozen=True)
class PackFields:
    """What a curator sets; None leaves a field as it is (on update)."""

    title: str | None = None
    description: str | None = None
    subjects: Sequence[str] | None = None
    grade_bands: Sequence[str] | None = None
    account_ids: Sequence[int | str] | None = None


def _clean(fields: PackFields, errors: list[str]) -> dict[str, object]:
    changes: dict[str, object] = {}
    if fields.title is not None:
        title = one_spaced_line(fields.title)
        if not title:
            errors.append(_("Give the pack a title."))
        elif len(title) > PACK_TITLE_MAX_LENGTH:
            errors.append(
                _("The title is longer than %(max)d characters.") % {"max": PACK_TITLE_MAX_LENGTH}
            )
        changes["title"] = title
    if fields.description is not None:
        description = fields.description.strip()
        if len(description) > PACK_DESCRIPTION_MAX_LENGTH:
            errors.append(
                _("The description is longer than %(max)d characters.")
                % {"max": PACK_DESCRIPTION_MAX_LENGTH}
            )
        changes["description"] = description
    if fields.subjects is not None:
        subjects = list(dict.fromkeys(fields.subjects))
        unknown = sorted(set(subjects) - taxonomy.SUBJECT_SLUGS)
        if unknown:
            errors.append(_("Unknown subjects: %(slugs)s") % {"slugs": ", ".join(unknown)})
        changes["subjects"] = subjects
    if fields.grade_bands is not None:
        bands = list(dict.fromkeys(fields.grade_bands))
        unknown = sorted(set(bands) - set(taxonomy.BANDS))
        if unknown:
            errors.append(_("Unknown grade bands: %(slugs)s") % {"slugs": ", ".join(unknown)})
        changes["grade_bands"] = bands
    return changes


def _members(actor: Profile, raw_ids: Sequence[int | str], errors: list[str]) -> list[int]:
    """Checked member ids in the order given: each must exist, be in good standing, be
    discoverable (a pack is a suggestion) and not block the curator."""
    if len(raw_ids) > PACK_ACCOUNTS_MAX:
        errors.append(
            _("A starter pack holds at most %(max)d accounts; this one has %(count)d.")
            % {"max": PACK_ACCOUNTS_MAX, "count": len(raw_ids)}
        )
        return []
    ids: list[int] = []
    for raw in raw_ids:
        try:
            ids.append(id_or_not_found(raw))
        except NotFound:
            errors.append(_("%(id)s is not an account id.") % {"id": str(raw)[:40]})
    ids = list(dict.fromkeys(ids))
    found = {
        p.pk: p
        for p in Profile.objects.in_good_standing()
        .filter(pk__in=ids)
        .exclude(pk__in=Block.objects.filter(blocked=actor).values("blocker_id"))
    }
    for pk in ids:
        profile = found.get(pk)
        if profile is None:
            errors.append(_("Account %(id)d was not found.") % {"id": pk})
        elif not profile.is_discoverable or profile.limited_at is not None:
            errors.append(
                _("@%(handle)s has chosen not to appear in suggestions.") % {"handle": profile.acct}
            )
    return ids


def _write_members(pack: StarterPack, ids: list[int]) -> None:
    StarterPackMember.objects.filter(pack=pack).exclude(profile_id__in=ids).delete()
    existing = dict(StarterPackMember.objects.filter(pack=pack).values_list("profile_id", "pk"))
    for position, pk in enumerate(ids):
        if pk in existing:
            StarterPackMember.objects.filter(pk=existing[pk]).update(position=position)
        else:
            StarterPackMember.objects.create(pack=pack, profile_id=pk, position=position)


@transaction.atomic
def starter_pack_create(*, actor: Profile, fields: PackFields) -> StarterPack:
    """A new pack curated by `actor`. ValidationFailed lists every problem (no title, too
    long, unknown subjects or bands, more than 150 accounts, accounts that cannot be in a
    pack); nothing is written then."""
    errors: list[str] = []
    changes = _clean(dataclasses.replace(fields, title=fields.title or ""), errors)
    ids = _members(actor, fields.account_ids or [], errors)
    if errors:
        raise ValidationFailed(" ".join(errors))
    pack = StarterPack.objects.create(curator=actor, **changes)
    _write_members(pack, ids)
    return pack


@transaction.atomic
def starter_pack_update(*, actor: Profile, pack_id: int | str, fields: PackFields) -> StarterPack:
    """Change a pack (curator or administrator). Fields left None stay; `account_ids`
    replaces the members in the order given. ValidationFailed as for create."""
    pack = pack_for_editing(actor=actor, pack_id=pack_id)
    StarterPack.objects.select_for_update().filter(pk=pack.pk).first()
    errors: list[str] = []
    changes = _clean(fields, errors)
    ids = _members(actor, fields.account_ids, errors) if fields.account_ids is not None else None
    if errors:
        raise ValidationFailed(" ".join(errors))
    for name, value in changes.items():
        setattr(pack, name, value)
    pack.save()
    if ids is not None:
        _write_members(pack, ids)
    return pack


@transaction.atomic
def starter_pack_delete(*, actor: Profile, pack_id: int | str) -> None:
    pack_for_editing(actor=actor, pack_id=pack_id).delete()


class FollowOutcome(StrEnum):
    FOLLOWED = "followed"
    REQUESTED = "requested"  # a locked account: a follow request was sent
    ALREADY_FOLLOWING = "already_following"
    UNAVAILABLE = "unavailable"  # blocked either way, or no longer on the server
    SELF = "self"


@dataclass(frozen=True)
class PackFollowResult:
    list_id: int | None
    outcomes: tuple[tuple[Profile, FollowOutcome], ...]

    def count(self, outcome: FollowOutcome) -> int:
        return sum(1 for _profile, found in self.outcomes if found == outcome)


@transaction.atomic
def starter_pack_follow(
    *,
    actor: Profile,
    pack: StarterPack,
    list_id: int | str | None = None,
    new_list_title: str = "",
    new_list_purpose: str = "",
) -> PackFollowResult:
    """Follow every account in the pack, optionally into a purpose list (an existing one of
    the actor's, or a new one made here). Locked accounts get a request; accounts that
    blocked the actor, that the actor blocked, or that left are reported as unavailable and
    skipped, as are members who stopped appearing in suggestions (not discoverable, or
    limited by a moderator). The list is checked first, so a bad list changes nothing
    (NotFound for a list that is not the actor's; ValidationFailed for a bad new list)."""
    list_ids: list[int | str] = []
    if list_id not in (None, ""):
        list_ids = list(own_list_ids(actor, [list_id]))
    elif new_list_title.strip():
        made = purpose_list_create(actor=actor, title=new_list_title, purpose=new_list_purpose)
        list_ids = [made.pk]
    members = list(
        Profile.objects.filter(
            pk__in=StarterPackMember.objects.filter(pack=pack).values("profile_id")
        ).order_by("pk")
    )
    order = dict(StarterPackMember.objects.filter(pack=pack).values_list("profile_id", "position"))
    members.sort(key=lambda p: order.get(p.pk, 0))
    followed = set(
        Follow.objects.filter(follower=actor, followee__in=members).values_list(
            "followee_id", flat=True
        )
    )
    outcomes: list[tuple[Profile, FollowOutcome]] = []
    for member in members:
        if member.pk == actor.pk:
            outcomes.append((member, FollowOutcome.SELF))
            continue
        if not member.is_discoverable or member.limited_at is not None:
            # Opted out of suggestions since the curator added them: not followed from here.
            outcomes.append((member, FollowOutcome.UNAVAILABLE))
            continue
        was_following = member.pk in followed
        try:
            with transaction.atomic():
                outcome = follow_create(actor=actor, target=member, purposes=list_ids)
        except (NotFound, PermissionDenied):
            outcomes.append((member, FollowOutcome.UNAVAILABLE))
            continue
        if was_following:
            outcomes.append((member, FollowOutcome.ALREADY_FOLLOWING))
        elif isinstance(outcome, FollowRequest):
            outcomes.append((member, FollowOutcome.REQUESTED))
        else:
            outcomes.append((member, FollowOutcome.FOLLOWED))
    chosen = int(list_ids[0]) if list_ids else None
    return PackFollowResult(list_id=chosen, outcomes=tuple(outcomes))
