"""`/api/v1/pln/...` for the professional profile: taxonomy, profile, goals, directory.

Mastodon has no such concepts, so these live under /api/v1/pln (DESIGN.md). Each route calls
one service or selector; the web pages call the same ones.
"""

from __future__ import annotations

from typing import Any, Literal

from django.db import transaction
from django.db.models import TextChoices
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from staffroom.core.api.auth import TokenAuth
from staffroom.core.api.numbers import ClampedInt64, Offset
from staffroom.core.api.pagination import page_window
from staffroom.core.exceptions import ValidationFailed
from staffroom.core.pln import LearningStyle, Purpose
from staffroom.mastodon_api.entities import (
    Account,
    AccountEntity,
    AccountPlnEntity,
    PlnGoalsEntity,
    account_entities,
    account_pln,
)
from staffroom.profiles import taxonomy
from staffroom.profiles.models import Profile
from staffroom.profiles.professional import (
    ProfessionalChanges,
    goals_update,
    privacy_update,
    professional_update,
    profile_terms,
)
from staffroom.profiles.selectors import DirectoryFilters, directory_filtered, own_profile

router = Router(tags=["pln"])

TermList = list[str] | None


class Term(Schema):
    slug: str
    label: str
    parent: str | None = None


class Band(Schema):
    slug: str
    label: str
    grades: list[str]


class Taxonomy(Schema):
    roles: list[Term]
    subjects: list[Term]
    grades: list[Term]
    grade_bands: list[Band]
    practices: list[Term]
    languages: list[Term]


class PlnProfile(Schema):
    role: str | None
    subjects: list[str]
    grades: list[str]
    grade_bands: list[str]
    practices: list[str]
    tags: list[str]
    languages: list[str]
    experience_years: int | None
    mentorship: str | None
    timezone: str | None
    locked: bool
    discoverable: bool
    indexable: bool
    hide_follows: bool
    away: bool


class PlnProfileIn(Schema):
    """Only the keys sent change; lists replace what was there; null clears a value."""

    role: str | None = Field(None, max_length=32)
    subjects: TermList = Field(None, max_length=500)
    grades: TermList = Field(None, max_length=500)
    practices: TermList = Field(None, max_length=500)
    tags: TermList = Field(None, max_length=500)
    languages: TermList = Field(None, max_length=500)
    experience_years: int | None = None
    mentorship: str | None = Field(None, max_length=16)
    timezone: str | None = Field(None, max_length=64)
    locked: bool | None = None
    discoverable: bool | None = None
    indexable: bool | None = None
    hide_follows: bool | None = None
    away: bool | None = None


class Goals(Schema):
    purposes: list[str]
    interaction: str | None
    learning: list[str]


def _words(choices: type[TextChoices]) -> dict[str, Any]:
    """The values a list field accepts, documented from the choices the service checks."""
    return {"items": {"enum": list(choices.values)}}


class GoalsIn(Schema):
    purposes: list[str] | None = Field(None, max_length=20, json_schema_extra=_words(Purpose))
    interaction: str | None = Field(None, max_length=16)
    learning: list[str] | None = Field(None, max_length=20, json_schema_extra=_words(LearningStyle))


class DirectoryQuery(Schema):
    subject: str = Field("", max_length=64)
    grade: str = Field("", max_length=64)
    role: str = Field("", max_length=32)
    practice: str = Field("", max_length=64)
    language: str = Field("", max_length=16)
    q: str = Field("", max_length=300)
    order: Literal["active", "new"] = "active"
    offset: Offset = 0
    limit: ClampedInt64 = 40


class PlnProfileEntity(AccountPlnEntity):
    """The account's public `pln` object plus what only the owner edits."""

    languages: list[str]
    timezone: str | None
    locked: bool
    discoverable: bool
    indexable: bool
    hide_follows: bool


def pln_profile(profile: Profile) -> PlnProfileEntity:
    """The account's public `pln` object plus what only the owner edits."""
    return {
        **account_pln(profile, owner=False),
        "languages": profile_terms(profile)["language"],
        "timezone": profile.timezone or None,
        "locked": profile.is_locked,
        "discoverable": profile.is_discoverable,
        "indexable": profile.is_indexable,
        "hide_follows": profile.hide_follows,
    }


def _goals(profile: Profile) -> PlnGoalsEntity:
    return {
        "purposes": list(profile.goal_purposes),
        "interaction": profile.interaction_style or None,
        "learning": list(profile.learning_styles),
    }


@router.get("/taxonomy", response=Taxonomy, summary="Roles, subjects, grades and bands, practices")
def get_taxonomy(request: HttpRequest) -> dict[str, Any]:
    return taxonomy.taxonomy_document()


@router.get(
    "/profile",
    response=PlnProfile,
    auth=TokenAuth("read:accounts"),
    summary="Your professional profile and privacy settings",
)
def get_profile(request: HttpRequest) -> PlnProfileEntity:
    return pln_profile(own_profile(request, with_terms=True))


_PRIVACY_KEYS = {
    "locked": "is_locked",
    "discoverable": "is_discoverable",
    "indexable": "is_indexable",
    "hide_follows": "hide_follows",
    "away": "is_away",
}


def _changes_from(payload: PlnProfileIn, sent: set[str]) -> ProfessionalChanges:
    values = {name: getattr(payload, name) for name in sent if name not in _PRIVACY_KEYS}
    for name in ("role", "mentorship", "timezone"):
        if name in values and values[name] is None:
            values[name] = ""
    lists = ("subjects", "grades", "practices", "tags", "languages")
    for name in lists:
        if name in values and values[name] is None:
            values[name] = []
    changes = ProfessionalChanges(**{k: v for k, v in values.items() if k != "experience_years"})
    if "experience_years" in sent:
        changes.experience_years = payload.experience_years
        changes.clear_experience = payload.experience_years is None
    return changes


@router.patch(
    "/profile",
    response=PlnProfile,
    auth=TokenAuth("write:accounts"),
    summary="Change your professional profile and privacy settings",
)
def patch_profile(request: HttpRequest, payload: PlnProfileIn) -> PlnProfileEntity:
    """Only the keys sent change. Unknown taxonomy slugs or too many terms: 422, no change."""
    profile = own_profile(request, with_terms=True)
    sent = set(payload.model_fields_set)
    flags = {
        _PRIVACY_KEYS[key]: bool(getattr(payload, key))
        for key in sent & set(_PRIVACY_KEYS)
        if getattr(payload, key) is not None
    }
    with transaction.atomic():
        professional_update(profile=profile, changes=_changes_from(payload, sent))
        if flags:
            privacy_update(profile=profile, **flags)
    return pln_profile(own_profile(request, with_terms=True))


@router.get("/goals", response=Goals, auth=TokenAuth("read:accounts"), summary="Your PLN goals")
def get_goals(request: HttpRequest) -> PlnGoalsEntity:
    return _goals(own_profile(request, with_terms=True))


@router.patch(
    "/goals", response=Goals, auth=TokenAuth("write:accounts"), summary="Change your PLN goals"
)
def patch_goals(request: HttpRequest, payload: GoalsIn) -> PlnGoalsEntity:
    """Purposes (resources, practices, inspiration, support, mentorship), interaction
    (reciprocal or quiet) and ways of learning (visual, auditory, textual)."""
    sent = payload.model_fields_set
    updated = goals_update(
        profile=own_profile(request, with_terms=True),
        purposes=(payload.purposes or []) if "purposes" in sent else None,
        interaction=(payload.interaction or "") if "interaction" in sent else None,
        learning=(payload.learning or []) if "learning" in sent else None,
    )
    return _goals(updated)


def _check_directory_filters(filters: DirectoryQuery) -> None:
    known = {
        "subject": taxonomy.SUBJECT_SLUGS,
        "grade": taxonomy.GRADE_SLUGS | set(taxonomy.BANDS),
        "role": taxonomy.ROLE_SLUGS,
        "practice": taxonomy.PRACTICE_SLUGS,
        "language": taxonomy.LANGUAGE_SLUGS,
    }
    unknown = [
        f"{name} {getattr(filters, name)!r}"
        for name, slugs in known.items()
        if getattr(filters, name) and getattr(filters, name) not in slugs
    ]
    if unknown:
        raise ValidationFailed(
            _("Validation failed: unknown %(what)s (see /api/v1/pln/taxonomy)")
            % {"what": ", ".join(unknown)}
        )


@router.get(
    "/directory",
    response=list[Account],
    summary="Educators by subject, grade or band, role, practice and language",
)
def get_directory(request: HttpRequest, filters: Query[DirectoryQuery]) -> list[AccountEntity]:
    """Discoverable educators who are not away; `grade` takes a grade (g7) or a band (6-8).

    An unknown slug is a 422 naming it (a typo should not look like an empty network).
    """
    _check_directory_filters(filters)
    limit, offset = page_window(filters.limit, filters.offset)
    profiles = directory_filtered(
        DirectoryFilters(
            subject=filters.subject,
            grade=filters.grade,
            role=filters.role,
            practice=filters.practice,
            language=filters.language,
            query=filters.q,
        ),
        order=filters.order,
        offset=offset,
        limit=limit,
    )
    return account_entities(profiles, request=request)
