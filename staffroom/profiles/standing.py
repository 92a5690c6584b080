"""A profile's standing as moderators set it: limited (left out of public places) and
suspended (hidden everywhere). The moderation app decides and logs; the profiles app,
which owns the rows, writes them and emits the events later capabilities react to
(federation tells other servers, streaming closes connections)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from staffroom.core.events import (
    AccountLimited,
    AccountSuspended,
    AccountUnlimited,
    AccountUnsuspended,
    emit,
)
from staffroom.profiles.models import Profile


def _set(profile: Profile, field: str, on: bool) -> bool:
    """Set or clear the timestamp `field` of `profile`; True when it changed."""
    value = timezone.now() if on else None
    changed = Profile.objects.filter(pk=profile.pk, **{f"{field}__isnull": on}).update(
        **{field: value}
    )
    profile.refresh_from_db(fields=[field])
    return bool(changed)


@transaction.atomic
def profile_limit(*, profile: Profile) -> bool:
    """Leave the profile out of public and hashtag timelines, the directory and suggestions.
    Emits AccountLimited; False when it already was limited."""
    changed = _set(profile, "limited_at", on=True)
    if changed:
        emit(AccountLimited(profile_id=profile.pk))
    return changed


@transaction.atomic
def profile_unlimit(*, profile: Profile) -> bool:
    changed = _set(profile, "limited_at", on=False)
    if changed:
        emit(AccountUnlimited(profile_id=profile.pk))
    return changed


@transaction.atomic
def profile_suspend(*, profile: Profile) -> bool:
    """Hide everything the profile wrote and the profile itself. Emits AccountSuspended;
    False when it already was suspended. Signing in is the accounts app's
    (`accounts.services.user_sign_in_stop`)."""
    changed = _set(profile, "suspended_at", on=True)
    if changed:
        emit(AccountSuspended(profile_id=profile.pk))
    return changed


@transaction.atomic
def profile_unsuspend(*, profile: Profile) -> bool:
    changed = _set(profile, "suspended_at", on=False)
    if changed:
        emit(AccountUnsuspended(profile_id=profile.pk))
    return changed
