"""Changing notifications: dismissing one, clearing all, preferences, the away summary read,
and e-mail unsubscribe by a signed link."""

from __future__ import annotations

from collections.abc import Collection

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staffroom.core.exceptions import NotFound, ValidationFailed
from staffroom.core.ids import id_or_not_found
from staffroom.notifications.models import Notification, NotificationPreferences
from staffroom.notifications.selectors import KINDS, NOT_FOUND
from staffroom.profiles.models import Profile

UNSUBSCRIBE_SALT = "staffroom.notifications.unsubscribe"


def notification_dismiss(viewer: Profile, notification_id: object) -> None:
    """Delete one of the viewer's notifications; another's or an unknown id is a 404."""
    deleted, _count = Notification.objects.filter(
        recipient=viewer, pk=id_or_not_found(notification_id)
    ).delete()
    if not deleted:
        raise NotFound(NOT_FOUND)


def notifications_clear(viewer: Profile) -> int:
    deleted, _count = Notification.objects.filter(recipient=viewer).delete()
    return deleted


def _kinds(values: Collection[str], what: str) -> list[str]:
    unknown = sorted(set(values) - KINDS)
    if unknown:
        raise ValidationFailed(
            _("Validation failed: unknown notification types in %(what)s: %(names)s")
            % {"what": what, "names": ", ".join(unknown)}
        )
    return sorted(set(values))


@transaction.atomic
def preferences_update(
    viewer: Profile,
    *,
    muted_kinds: Collection[str] | None = None,
    email_kinds: Collection[str] | None = None,
) -> NotificationPreferences:
    """Which kinds are not written at all (`muted_kinds`) and which are e-mailed
    (`email_kinds`, opt-in). Unknown kinds are a 422 and nothing changes."""
    preferences, _created = NotificationPreferences.objects.select_for_update().get_or_create(
        owner=viewer
    )
    if muted_kinds is not None:
        preferences.muted_kinds = _kinds(muted_kinds, "muted")
    if email_kinds is not None:
        preferences.email_kinds = _kinds(email_kinds, "e-mail")
    preferences.save()
    return preferences


def away_summary_seen(viewer: Profile) -> None:
    with transaction.atomic():
        preferences, _created = NotificationPreferences.objects.get_or_create(owner=viewer)
        preferences.away_summary_seen_at = timezone.now()
        preferences.save(update_fields=["away_summary_seen_at", "updated_at"])


def unsubscribe_token(profile: Profile) -> str:
    """The signed token of a one-click unsubscribe link in notification e-mails."""
    return signing.dumps({"p": profile.pk}, salt=UNSUBSCRIBE_SALT)


def unsubscribe(token: str) -> Profile:
    """Turn every notification e-mail off for the token's teacher. A token that was
    tampered with, or names nobody, is a ValidationFailed and nothing changes."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as error:
        raise ValidationFailed(_("This unsubscribe link is not valid.")) from error
    profile_id = data.get("p") if isinstance(data, dict) else None
    profile = Profile.objects.filter(pk=profile_id).first() if isinstance(profile_id, int) else None
    if profile is None:
        raise ValidationFailed(_("This unsubscribe link is not valid."))
    preferences_update(profile, email_kinds=[])
    return profile
