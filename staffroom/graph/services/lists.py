"""Purpose lists: Mastodon lists with a purpose type (DESIGN.md, "Purposes").

Another person's list answers NotFound, the same as an unknown id (SECURITY-PLAN Z-3).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from staffroom.core.exceptions import NotFound, ValidationFailed
from staffroom.core.pln import Purpose
from staffroom.core.text import one_spaced_line
from staffroom.graph.models import (
    LIST_TITLE_MAX_LENGTH,
    Follow,
    PurposeList,
    PurposeListMember,
    RepliesPolicy,
)
from staffroom.graph.services._common import NOT_FOUND, add_members, list_members_delete, parse_id
from staffroom.profiles import taxonomy
from staffroom.profiles.models import Profile, TermKind

LISTS_PER_ACCOUNT_MAX = 50  # Mastodon's List::PER_ACCOUNT_LIMIT
ACCOUNTS_PER_CALL_MAX = 100
# Short names for list titles where the taxonomy label is long ("Math resources").
_SUBJECT_SHORT = {"math": "Math", "ela": "ELA", "computer-science": "Computer science"}
_DEFAULT_SUBJECTS_MAX = 3


def _clean_title(title: str) -> str:
    cleaned = one_spaced_line(str(title))
    if not cleaned:
        raise ValidationFailed(_("Validation failed: Title can't be blank"))
    if len(cleaned) > LIST_TITLE_MAX_LENGTH:
        raise ValidationFailed(
            _("Validation failed: Title is too long (maximum is %(max)d characters)")
            % {"max": LIST_TITLE_MAX_LENGTH}
        )
    return cleaned


def _check_choice(value: str, choices: Sequence[str], label: str) -> str:
    if value not in choices:
        raise ValidationFailed(
            _("Validation failed: %(label)s must be one of %(choices)s")
            % {"label": label, "choices": ", ".join(c for c in choices if c)}
        )
    return value


def _own_list(actor: Profile, list_id: int | str) -> PurposeList:
    found = PurposeList.objects.filter(owner=actor, pk=parse_id(list_id)).first()
    if found is None:
        raise NotFound(NOT_FOUND)
    return found


@transaction.atomic
def purpose_list_create(
    *,
    actor: Profile,
    title: str,
    purpose: str = "",
    exclusive: bool = False,
    replies_policy: str = RepliesPolicy.LIST,
) -> PurposeList:
    """Create a list for `actor`. `purpose` is one of the five purpose types or "" (none).

    Raises ValidationFailed for a blank or too long title (256), an unknown purpose or
    replies policy, or when the actor already has 50 lists.
    """
    clean = _clean_title(title)
    _check_choice(purpose, ["", *Purpose.values], "Purpose")
    _check_choice(replies_policy, RepliesPolicy.values, "Replies policy")
    # Lock the owner's row so two concurrent creates cannot both pass the limit.
    Profile.objects.select_for_update(no_key=True).filter(pk=actor.pk).first()
    if PurposeList.objects.filter(owner=actor).count() >= LISTS_PER_ACCOUNT_MAX:
        raise ValidationFailed(
            _("You have reached the limit of %(max)d lists.") % {"max": LISTS_PER_ACCOUNT_MAX}
        )
    return PurposeList.objects.create(
        owner=actor,
        title=clean,
        purpose=purpose,
        exclusive=exclusive,
        replies_policy=replies_policy,
    )


@transaction.atomic
def purpose_list_update(
    *,
    actor: Profile,
    list_id: int | str,
    title: str | None = None,
    purpose: str | None = None,
    exclusive: bool | None = None,
    replies_policy: str | None = None,
) -> PurposeList:
    """Change the given attributes of one of `actor`'s lists (None leaves one as it is).

    Raises NotFound for another person's or an unknown list; ValidationFailed as for create.
    """
    found = _own_list(actor, list_id)
    if title is not None:
        found.title = _clean_title(title)
    if purpose is not None:
        found.purpose = _check_choice(purpose, ["", *Purpose.values], "Purpose")
    if exclusive is not None:
        found.exclusive = exclusive
    if replies_policy is not None:
        found.replies_policy = _check_choice(replies_policy, RepliesPolicy.values, "Replies policy")
    found.save(update_fields=["title", "purpose", "exclusive", "replies_policy"])
    return found


@transaction.atomic
def purpose_list_delete(*, actor: Profile, list_id: int | str) -> None:
    """Delete one of `actor`'s lists and its memberships (never the follows).

    Raises NotFound for another person's or an unknown list.
    """
    _own_list(actor, list_id).delete()


def _profile_ids(profile_ids: Sequence[int | str]) -> list[int]:
    if len(profile_ids) > ACCOUNTS_PER_CALL_MAX:
        raise ValidationFailed(
            _("Validation failed: at most %(max)d accounts at a time")
            % {"max": ACCOUNTS_PER_CALL_MAX}
        )
    return list(dict.fromkeys(parse_id(value) for value in profile_ids))


@transaction.atomic
def purpose_list_add_accounts(
    *, actor: Profile, list_id: int | str, profile_ids: Sequence[int | str]
) -> None:
    """Add accounts to one of `actor`'s lists; already listed ones are left as they are.

    As in Mastodon, only accounts the actor follows may be listed: if any given account is
    not followed, nothing changes and ValidationFailed is raised. Also ValidationFailed for
    more than 100 ids; NotFound for another person's or an unknown list, or a malformed id.
    """
    ids = _profile_ids(profile_ids)
    found = _own_list(actor, list_id)
    followed = set(
        Follow.objects.filter(follower=actor, followee_id__in=ids).values_list(
            "followee_id", flat=True
        )
    )
    if len(followed) != len(ids):
        raise ValidationFailed(_("You can only add accounts you follow to a list."))
    add_members(found, ids)


@transaction.atomic
def purpose_list_remove_accounts(
    *, actor: Profile, list_id: int | str, profile_ids: Sequence[int | str]
) -> None:
    """Remove accounts from one of `actor`'s lists; ids not in it are ignored.

    Raises ValidationFailed for more than 100 ids; NotFound for another person's or an
    unknown list, or a malformed id.
    """
    ids = _profile_ids(profile_ids)
    found = _own_list(actor, list_id)
    list_members_delete(actor.pk, PurposeListMember.objects.filter(list=found, profile_id__in=ids))


@dataclass(frozen=True)
class SuggestedList:
    title: str
    purpose: str


_PURPOSE_TITLES = {
    Purpose.PRACTICES: "Classroom management",
    Purpose.INSPIRATION: "Inspiration",
    Purpose.SUPPORT: "Support network",
    Purpose.MENTORSHIP: "Mentors",
}


def default_purpose_lists_for(actor: Profile) -> list[SuggestedList]:
    """Lists to offer `actor`, from their goals and subjects; creates nothing.

    One "<Subject> resources" list per subject (up to three, "Teaching resources" without
    subjects) when the goals name resources, then one list per other purpose named in the
    goals ("Classroom management", "Inspiration", ...); no goals set means every purpose.
    Titles the actor already has (case-insensitively) are left out.
    """
    goals = [p for p in Purpose.values if p in (actor.goal_purposes or [])] or Purpose.values
    subjects = list(
        actor.terms.filter(kind=TermKind.SUBJECT).values_list("value", flat=True)[
            :_DEFAULT_SUBJECTS_MAX
        ]
    )
    suggested: list[SuggestedList] = []
    for purpose in goals:
        if purpose == Purpose.RESOURCES:
            names = [
                _SUBJECT_SHORT.get(slug) or taxonomy.label_of(taxonomy.SUBJECTS, slug)
                for slug in sorted(subjects)
            ] or ["Teaching"]
            suggested += [SuggestedList(f"{name} resources", purpose) for name in names]
        else:
            suggested.append(SuggestedList(_PURPOSE_TITLES[Purpose(purpose)], purpose))
    existing = {
        title.casefold()
        for title in PurposeList.objects.filter(owner=actor).values_list("title", flat=True)
    }
    return [item for item in suggested if item.title.casefold() not in existing]


@transaction.atomic
def purpose_lists_create_defaults(*, actor: Profile) -> list[PurposeList]:
    """Create the lists `default_purpose_lists_for` suggests, up to the list limit; returns
    the lists created (none when all exist). Idempotent."""
    room = LISTS_PER_ACCOUNT_MAX - PurposeList.objects.filter(owner=actor).count()
    return [
        purpose_list_create(actor=actor, title=item.title, purpose=item.purpose)
        for item in default_purpose_lists_for(actor)[: max(room, 0)]
    ]
