"""Services of the professional profile: practice, PLN goals, privacy, onboarding.

Taxonomy terms are checked against `profiles/taxonomy.py`; unknown slugs and oversized
lists are refused whole (ValidationFailed, 422) and nothing is written.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staffroom.core.events import ProfileUpdated, emit
from staffroom.core.exceptions import ValidationFailed
from staffroom.core.pln import InteractionStyle, LearningStyle, Mentorship, Purpose
from staffroom.profiles import taxonomy
from staffroom.profiles.models import Profile, ProfileTerm, TermKind

MAX_TERMS = {
    TermKind.SUBJECT: 12,
    TermKind.GRADE: len(taxonomy.GRADES),
    TermKind.PRACTICE: 15,
    TermKind.TAG: 10,
    TermKind.LANGUAGE: 6,
}
ALLOWED = {
    TermKind.SUBJECT: taxonomy.SUBJECT_SLUGS,
    TermKind.GRADE: taxonomy.GRADE_SLUGS,
    TermKind.PRACTICE: taxonomy.PRACTICE_SLUGS,
    TermKind.LANGUAGE: taxonomy.LANGUAGE_SLUGS,
}
_PLURALS = {
    TermKind.SUBJECT: _("subjects"),
    TermKind.GRADE: _("grades"),
    TermKind.PRACTICE: _("practices"),
    TermKind.TAG: _("tags"),
    TermKind.LANGUAGE: _("languages"),
}
TAG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
MAX_EXPERIENCE_YEARS = 70


@dataclass
class ProfessionalChanges:
    """What the teacher sent; `None` leaves a part as it is."""

    role: str | None = None
    subjects: list[str] | None = None
    grades: list[str] | None = None
    practices: list[str] | None = None
    tags: list[str] | None = None
    languages: list[str] | None = None
    experience_years: int | None = None
    clear_experience: bool = False
    mentorship: str | None = None
    timezone: str | None = None
    errors: list[str] = field(default_factory=list)


def _clean_tag(raw: str) -> str:
    return raw.strip().lstrip("#").lower().replace(" ", "-")


def _clean_terms(kind: TermKind, values: Iterable[Any], errors: list[str]) -> list[str]:
    cleaned = list(dict.fromkeys(str(value).strip() for value in values if str(value).strip()))
    if kind == TermKind.TAG:
        cleaned = list(dict.fromkeys(_clean_tag(value) for value in cleaned))
        bad = [value for value in cleaned if not TAG_PATTERN.match(value)]
    else:
        bad = [value for value in cleaned if value not in ALLOWED[kind]]
    if bad:
        errors.append(
            _("unknown %(kind)s: %(values)s")
            % {"kind": str(kind.label).lower(), "values": ", ".join(bad[:5])}
        )
    if len(cleaned) > MAX_TERMS[kind]:
        errors.append(
            _("at most %(max)d of %(kind)s")
            % {"max": MAX_TERMS[kind], "kind": _PLURALS.get(kind, str(kind.label).lower())}
        )
    return cleaned


def _check_scalars(changes: ProfessionalChanges) -> None:
    errors = changes.errors
    if changes.role is not None and changes.role not in {"", *taxonomy.ROLE_SLUGS}:
        errors.append(_("unknown role: %(role)s") % {"role": changes.role[:40]})
    if changes.mentorship is not None and changes.mentorship not in {"", *Mentorship.values}:
        errors.append(_("mentorship must be offering, seeking or empty"))
    years = changes.experience_years
    if years is not None and not 0 <= years <= MAX_EXPERIENCE_YEARS:
        errors.append(_("years of experience must be between 0 and 70"))
    if changes.timezone:
        try:
            zoneinfo.ZoneInfo(changes.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            errors.append(_("unknown time zone: %(tz)s") % {"tz": changes.timezone[:64]})


def _raise_if_errors(errors: list[str]) -> None:
    if errors:
        raise ValidationFailed(_("Validation failed: %(errors)s") % {"errors": "; ".join(errors)})


def _replace_terms(profile: Profile, kind: TermKind, values: list[str]) -> None:
    ProfileTerm.objects.filter(profile=profile, kind=kind).exclude(value__in=values).delete()
    existing = set(
        ProfileTerm.objects.filter(profile=profile, kind=kind).values_list("value", flat=True)
    )
    ProfileTerm.objects.bulk_create(
        [ProfileTerm(profile=profile, kind=kind, value=v) for v in values if v not in existing]
    )


@transaction.atomic
def professional_update(*, profile: Profile, changes: ProfessionalChanges) -> Profile:
    """Change the professional profile: role, subjects, grades, practices, tags, languages,
    experience, mentorship and time zone. Lists replace what was there.

    Raises ValidationFailed listing every problem (unknown slugs, too many terms, an unknown
    time zone...); nothing is written then.
    """
    term_lists = {
        TermKind.SUBJECT: changes.subjects,
        TermKind.GRADE: changes.grades,
        TermKind.PRACTICE: changes.practices,
        TermKind.TAG: changes.tags,
        TermKind.LANGUAGE: changes.languages,
    }
    cleaned = {
        kind: _clean_terms(kind, values, changes.errors)
        for kind, values in term_lists.items()
        if values is not None
    }
    _check_scalars(changes)
    _raise_if_errors(changes.errors)
    locked = Profile.objects.select_for_update().get(pk=profile.pk)
    for name in ("role", "mentorship", "timezone"):
        if getattr(changes, name) is not None:
            setattr(locked, name, getattr(changes, name))
    if changes.experience_years is not None or changes.clear_experience:
        locked.experience_years = changes.experience_years
    locked.save()
    for kind, values in cleaned.items():
        _replace_terms(locked, kind, values)
    emit(ProfileUpdated(profile_id=locked.pk))
    return locked


@transaction.atomic
def goals_update(
    *,
    profile: Profile,
    purposes: list[str] | None = None,
    interaction: str | None = None,
    learning: list[str] | None = None,
) -> Profile:
    """Set what the teacher wants from the PLN (DESIGN.md's purposes, reciprocal or quiet,
    visual/auditory/textual). Raises ValidationFailed for unknown values."""
    errors: list[str] = []
    if purposes is not None:
        purposes = list(dict.fromkeys(purposes))
        if set(purposes) - set(Purpose.values):
            errors.append(_("purposes must be among: %s") % ", ".join(Purpose.values))
    if interaction is not None and interaction not in {"", *InteractionStyle.values}:
        errors.append(_("interaction must be reciprocal, quiet or empty"))
    if learning is not None:
        learning = list(dict.fromkeys(learning))
        if set(learning) - set(LearningStyle.values):
            errors.append(_("ways of learning must be among: visual, auditory, textual"))
    _raise_if_errors(errors)
    locked = Profile.objects.select_for_update().get(pk=profile.pk)
    if purposes is not None:
        locked.goal_purposes = purposes
    if interaction is not None:
        locked.interaction_style = interaction
    if learning is not None:
        locked.learning_styles = learning
    locked.save(update_fields=["goal_purposes", "interaction_style", "learning_styles"])
    return locked


PRIVACY_FLAGS = ("is_locked", "is_discoverable", "is_indexable", "hide_follows", "is_away")


@transaction.atomic
def privacy_update(*, profile: Profile, **flags: bool) -> Profile:
    """Change privacy flags (locked, discoverable, indexable, hide follows, away)."""
    unknown = set(flags) - set(PRIVACY_FLAGS)
    if unknown:
        raise ValidationFailed(_("Validation failed: unknown setting %s") % ", ".join(unknown))
    locked = Profile.objects.select_for_update().get(pk=profile.pk)
    for name, value in flags.items():
        setattr(locked, name, bool(value))
    locked.save(update_fields=[*flags, "updated_at"])
    return locked


POSTING_DEFAULT_FIELDS = ("default_visibility", "default_sensitive", "default_language")


def posting_defaults_store(*, profile: Profile, **values: object) -> Profile:
    """Store a teacher's posting defaults (the profile's own columns). What a valid value
    is belongs to posts, which checks them first (`posts.posting_defaults`)."""
    unknown = set(values) - set(POSTING_DEFAULT_FIELDS)
    if unknown:
        raise ValidationFailed(_("Validation failed: unknown setting %s") % ", ".join(unknown))
    if values:
        Profile.objects.filter(pk=profile.pk).update(**values)
        for name, value in values.items():
            setattr(profile, name, value)
    return profile


def onboarding_complete(*, profile: Profile) -> None:
    """Mark onboarding done (or skipped); it is not offered again."""
    Profile.objects.filter(pk=profile.pk, onboarded_at__isnull=True).update(
        onboarded_at=timezone.now()
    )


_LOADED_TERMS = "_terms_by_kind"


def terms_load(profiles: Sequence[Profile]) -> None:
    """Read the terms of many profiles for `profile_terms` in one query, as plain values.

    Cheaper than `prefetch_related_objects(profiles, "terms")` where only `profile_terms`
    reads them: a page of 20 accounts has about 200 terms, and a model instance for each
    cost more than the query. Profiles whose terms are already loaded or prefetched are
    skipped.
    """
    wanted = {
        profile.pk: profile
        for profile in profiles
        if _LOADED_TERMS not in profile.__dict__
        and "terms" not in getattr(profile, "_prefetched_objects_cache", {})
    }
    if not wanted:
        return
    found: dict[int, list[tuple[str, str]]] = {pk: [] for pk in wanted}
    rows = ProfileTerm.objects.filter(profile_id__in=list(wanted)).values_list(
        "profile_id", "kind", "value"
    )
    for profile_id, kind, value in rows:
        found[profile_id].append((kind, value))
    for pk, profile in wanted.items():
        profile.__dict__[_LOADED_TERMS] = found[pk]


def profile_terms(profile: Profile) -> dict[str, list[str]]:
    """The profile's terms by kind (uses terms loaded by `terms_load`, or a prefetched
    `terms`, when there are)."""
    result: dict[str, list[str]] = {kind: [] for kind in TermKind.values}
    loaded = profile.__dict__.get(_LOADED_TERMS)
    pairs = loaded if loaded is not None else ((t.kind, t.value) for t in profile.terms.all())
    for kind, value in pairs:
        result[kind].append(value)
    # A stable order: the taxonomy's for its terms, alphabetical for free tags.
    for kind, order in _TERM_ORDER.items():
        result[kind].sort(key=partial(_position, order))
    result[TermKind.TAG].sort()
    return result


def _position(order: dict[str, int], slug: str) -> int:
    return order.get(slug, len(order))


_TERM_ORDER: dict[str, dict[str, int]] = {
    TermKind.SUBJECT: {term.slug: i for i, term in enumerate(taxonomy.SUBJECTS)},
    TermKind.GRADE: {term.slug: i for i, term in enumerate(taxonomy.GRADES)},
    TermKind.PRACTICE: {term.slug: i for i, term in enumerate(taxonomy.PRACTICES)},
    TermKind.LANGUAGE: {term.slug: i for i, term in enumerate(taxonomy.LANGUAGES)},
}
