"""Changing notifications: dismissing one, clearing all, preferences, the away summary read,
and e-mail unsubscribe by a signed link."""

from __future__ import annotations

from collections.abc import Collection

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staffroom.core.exceptions import NotFound, ValidationFailed
from staffroom.core.ids import id_or_not_found, parse_snowflake
from staffroom.notifications.models import (
    POLICY_CATEGORIES,
    Notification,
    NotificationPermission,
    NotificationPolicy,
    NotificationPreferences,
    NotificationRequest,
    PolicyChoice,
)
from staffroom.notifications.selectors import (
    KINDS,
    NOT_FOUND,
    group_rows,
    request_get,
)
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
    """Dismiss every notification of the list (those put aside under requests stay)."""
    deleted, _count = Notification.objects.filter(recipient=viewer, filtered=False).delete()
    return deleted


def group_dismiss(viewer: Profile, group_key: str) -> None:
    """Dismiss (delete) every notification of one of the viewer's groups (Mastodon 4.3's
    `POST /api/v2/notifications/:group_key/dismiss`); a key the viewer has nothing of is a
    404 and nothing is deleted."""
    with transaction.atomic():
        ids = list(group_rows(viewer, group_key).values_list("pk", flat=True))
        if not ids:
            raise NotFound(NOT_FOUND)
        Notification.objects.filter(recipient=viewer, pk__in=ids).delete()


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


# Notification filtering (Mastodon 4.3): the policy, and accepting or dismissing requests.


@transaction.atomic
def policy_update(viewer: Profile, **choices: str | None) -> NotificationPolicy:
    """Set some of the policy's categories (`for_not_following`, ...) to `accept`,
    `filter` or `drop`; one left out (None) is unchanged. An unknown category or value is
    a ValidationFailed (422) and nothing changes. Only what comes next is affected."""
    unknown = sorted(set(choices) - set(POLICY_CATEGORIES))
    if unknown:
        raise ValidationFailed(
            _("Validation failed: unknown policy categories: %(names)s")
            % {"names": ", ".join(unknown)}
        )
    for category, value in choices.items():
        if value is not None and value not in PolicyChoice.values:
            raise ValidationFailed(
                _("Validation failed: %(category)s must be accept, filter or drop")
                % {"category": category}
            )
    policy, _created = NotificationPolicy.objects.select_for_update().get_or_create(owner=viewer)
    for category, value in choices.items():
        if value is not None:
            setattr(policy, category, value)
    policy.save()
    return policy


def request_attach(notification: Notification) -> NotificationRequest:
    """File a notification the policy put aside under its sender's request (made on the
    first one), in the caller's transaction."""
    request, created = NotificationRequest.objects.get_or_create(
        recipient_id=notification.recipient_id,
        account_id=notification.account_id,
        defaults={"last_status_id": notification.status_id},
    )
    if not created:
        if notification.status_id is not None:
            request.last_status_id = notification.status_id
        request.save(update_fields=["last_status", "updated_at"])
    return request


def _accept(viewer: Profile, request: NotificationRequest) -> None:
    NotificationPermission.objects.get_or_create(recipient=viewer, account_id=request.account_id)
    held = Notification.objects.filter(
        recipient=viewer, account_id=request.account_id, filtered=True
    )
    # They join the list as they were; the teacher has seen them, so no e-mail follows.
    held.filter(emailed_at__isnull=True).update(emailed_at=timezone.now())
    held.update(filtered=False)
    NotificationRequest.objects.filter(pk=request.pk).delete()


def _dismiss(viewer: Profile, request: NotificationRequest) -> None:
    Notification.objects.filter(
        recipient=viewer, account_id=request.account_id, filtered=True
    ).delete()
    NotificationRequest.objects.filter(pk=request.pk).delete()


@transaction.atomic
def request_accept(viewer: Profile, request_id: object) -> None:
    """Accept one of the viewer's requests: its notifications join the list and later ones
    from that sender are never put aside. Another's or an unknown id is a 404."""
    _accept(viewer, request_get(viewer, request_id))


@transaction.atomic
def request_dismiss(viewer: Profile, request_id: object) -> None:
    """Dismiss one of the viewer's requests: it and the notifications it held are deleted
    (a later notification from the sender opens a new one). 404 as `request_accept`."""
    _dismiss(viewer, request_get(viewer, request_id))


def _own_requests(viewer: Profile, request_ids: Collection[str]) -> list[NotificationRequest]:
    ids = [found for value in request_ids if (found := parse_snowflake(value))]
    return list(NotificationRequest.objects.filter(recipient=viewer, pk__in=ids))


@transaction.atomic
def requests_accept(viewer: Profile, request_ids: Collection[str]) -> int:
    """Accept several of the viewer's requests; ids not theirs (or unknown) are ignored,
    as Mastodon does. Answers how many were accepted."""
    found = _own_requests(viewer, request_ids)
    for request in found:
        _accept(viewer, request)
    return len(found)


@transaction.atomic
def requests_dismiss(viewer: Profile, request_ids: Collection[str]) -> int:
    """Dismiss several of the viewer's requests; ids not theirs are ignored."""
    found = _own_requests(viewer, request_ids)
    for request in found:
        _dismiss(viewer, request)
    return len(found)
