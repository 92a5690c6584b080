"""Writes for profiles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from staffroom.profiles.handles import normalize_handle, validate_handle_format
from staffroom.profiles.models import Profile
from staffroom.profiles.uris import local_profile_uri

if TYPE_CHECKING:
    from staffroom.accounts.models import User


def handle_is_taken(handle: str) -> bool:
    return Profile.objects.filter(handle__iexact=normalize_handle(handle), domain="").exists()


def handle_check_available(handle: str) -> None:
    """Raise ValidationError if the handle is malformed, reserved or taken."""
    validate_handle_format(handle)
    if handle_is_taken(handle):
        raise ValidationError(
            _("The handle “%(handle)s” is taken. Please choose another."),
            code="handle_taken",
            params={"handle": handle},
        )


@transaction.atomic
def profile_create_local(*, user: User, handle: str, display_name: str = "") -> Profile:
    """Create the local actor for `user`.

    The handle keeps the case the teacher typed; uniqueness is case-insensitive (a database
    constraint backs the check, so a race ends in IntegrityError, never two profiles).
    Raises ValidationError for a malformed, reserved or taken handle.
    """
    handle = handle.strip()
    handle_check_available(handle)
    profile = Profile(
        user=user,
        handle=handle,
        domain="",
        uri=local_profile_uri(handle),
        display_name=display_name.strip(),
    )
    profile.full_clean(validate_unique=False, validate_constraints=False)
    profile.save()
    return profile
