"""How complete a teacher's profile is, and what each missing part would do for them.

The guide on the edit page and on home: each part names the page that fills it in and a
sentence on how it helps colleagues find you. Every part weighs the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from staffroom.profiles.models import Profile, TermKind
from staffroom.profiles.professional import profile_terms


@dataclass(frozen=True)
class ProfilePart:
    key: str
    label: str | Promise
    why: str | Promise  # how the part helps colleagues find the teacher
    url_name: str  # the page where it is filled in


@dataclass(frozen=True)
class Completeness:
    percent: int
    missing: list[ProfilePart] = field(default_factory=list)

    @property
    def is_complete(self) -> bool:
        return not self.missing


_Check = Callable[[Profile, dict[str, list[str]]], bool]
EDIT = "profiles:profile-edit"
PARTS: tuple[tuple[ProfilePart, _Check], ...] = (
    (
        ProfilePart(
            "display_name",
            _("Display name"),
            _("Add a display name: colleagues recognise you by it (a pseudonym is fine)."),
            EDIT,
        ),
        lambda profile, terms: bool(profile.display_name),
    ),
    (
        ProfilePart(
            "avatar",
            _("Picture"),
            _("Add a picture: it makes your posts and your card in the directory easy to spot."),
            EDIT,
        ),
        lambda profile, terms: bool(profile.avatar),
    ),
    (
        ProfilePart(
            "note",
            _("Bio"),
            _("Write a short bio: colleagues read it to decide whether to follow you."),
            EDIT,
        ),
        lambda profile, terms: bool(profile.note.strip()),
    ),
    (
        ProfilePart(
            "role", _("Role"), _("Say what your role is: colleagues filter by role."), EDIT
        ),
        lambda profile, terms: bool(profile.role),
    ),
    (
        ProfilePart(
            "subjects",
            _("Subjects"),
            _("Add your subjects: colleagues filter the directory by subject."),
            EDIT,
        ),
        lambda profile, terms: bool(terms[TermKind.SUBJECT]),
    ),
    (
        ProfilePart(
            "grades",
            _("Grades"),
            _("Add the grades you teach: colleagues look for people who teach the same grades."),
            EDIT,
        ),
        lambda profile, terms: bool(terms[TermKind.GRADE]),
    ),
    (
        ProfilePart(
            "practices",
            _("Practices"),
            _("Add practices you care about: suggestions match people with the same interests."),
            EDIT,
        ),
        lambda profile, terms: bool(terms[TermKind.PRACTICE]),
    ),
    (
        ProfilePart(
            "goals",
            _("PLN goals"),
            _("Choose what you want from your network: suggestions follow your purposes."),
            "profiles:goals-edit",
        ),
        lambda profile, terms: bool(profile.goal_purposes),
    ),
)


def profile_completeness(profile: Profile) -> Completeness:
    """The share of the guide's parts the profile has (0-100) and the parts still missing,
    in the order the guide lists them. Reads the profile's terms (one query unless they
    are prefetched); writes nothing."""
    terms = profile_terms(profile)
    missing = [part for part, check in PARTS if not check(profile, terms)]
    percent = round(100 * (len(PARTS) - len(missing)) / len(PARTS))
    return Completeness(percent=percent, missing=missing)
