"""The notifications' deletion part: a leaving teacher's notification settings, and the
notification requests and accepted senders on either side of them.

The rows would cascade with the profile row at the very end; removing them here keeps
nothing of the teacher waiting in someone else's filtered notifications meanwhile."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from staffroom.accounts.models import User
from staffroom.leaving.deletion import deletion_part
from staffroom.notifications.models import (
    Notification,
    NotificationPermission,
    NotificationPolicy,
    NotificationPreferences,
    NotificationRequest,
)
from staffroom.profiles.models import Profile


@deletion_part(name="notifications", order=730)
def notifications_of_deleted_account(user: User) -> None:
    """Their notifications, policy, preferences, requests and accepted senders, and the
    requests and notifications they caused for others. Idempotent."""
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return
    with transaction.atomic():
        either_side = Q(recipient=profile) | Q(account=profile)
        NotificationRequest.objects.filter(either_side).delete()
        NotificationPermission.objects.filter(either_side).delete()
        Notification.objects.filter(either_side).delete()
        NotificationPolicy.objects.filter(owner=profile).delete()
        NotificationPreferences.objects.filter(owner=profile).delete()
