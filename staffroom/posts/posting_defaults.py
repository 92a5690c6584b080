"""A teacher's posting defaults: the visibility, sensitivity and language a new post takes
when its author does not say (Mastodon's `source[privacy]`, `source[sensitive]`,
`source[language]`). Stored on the profile; checked here, where posts define what is valid."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from staffroom.core.exceptions import ValidationFailed
from staffroom.posts.models import Visibility
from staffroom.posts.services import LANGUAGE_RE
from staffroom.profiles.models import Profile
from staffroom.profiles.professional import posting_defaults_store


@dataclass(frozen=True)
class PostingDefaults:
    visibility: Visibility
    sensitive: bool
    language: str


def posting_defaults(profile: Profile) -> PostingDefaults:
    """The profile's defaults; a stored visibility that is no longer valid reads as public."""
    stored = profile.default_visibility
    visibility = Visibility(stored) if stored in Visibility.values else Visibility.PUBLIC
    return PostingDefaults(visibility, profile.default_sensitive, profile.default_language)


def default_language_clean(language: str) -> str:
    """The language stripped; empty (no default) or a code such as en or pt-BR, else
    ValidationFailed (422)."""
    cleaned = language.strip()
    if cleaned and not LANGUAGE_RE.match(cleaned):
        raise ValidationFailed(
            _("Validation failed: Language is not a language code such as en or pt-BR")
        )
    return cleaned


def posting_defaults_update(
    *,
    profile: Profile,
    visibility: Visibility | None = None,
    sensitive: bool | None = None,
    language: str | None = None,
) -> Profile:
    """Change the defaults; `None` leaves one as it is, an empty language clears it.

    Raises ValidationFailed (422) for a language that is not a code such as en or pt-BR;
    nothing is written then."""
    changes: dict[str, object] = {}
    if visibility is not None:
        changes["default_visibility"] = visibility.value
    if sensitive is not None:
        changes["default_sensitive"] = sensitive
    if language is not None:
        changes["default_language"] = default_language_clean(language)
    return posting_defaults_store(profile=profile, **changes)
