"""Web Push subscriptions: where a Mastodon app on a teacher's phone wants to be woken.

One per OAuth access token, as on Mastodon: the token's app owns it, so revoking the token
(or deleting the account, which revokes every token) removes it through the foreign key.
The keys are the browser's or phone's: `p256dh` its public key, `auth` the shared secret
the payload is encrypted with (RFC 8291); Staffroom never holds their private half.
"""

from __future__ import annotations

from django.db import models

from staffroom.profiles.models import Profile

ALERT_NAMES = (
    "mention",
    "status",
    "reblog",
    "follow",
    "follow_request",
    "favourite",
    "poll",
    "update",
    "admin.sign_up",
    "admin.report",
)


class PushPolicy(models.TextChoices):
    """Whose notifications are pushed (Mastodon's `policy`)."""

    ALL = "all"
    FOLLOWED = "followed"
    FOLLOWER = "follower"
    NONE = "none"


def default_alerts() -> dict[str, bool]:
    return dict.fromkeys(ALERT_NAMES, False)


class PushSubscription(models.Model):
    access_token = models.OneToOneField(
        "oauth2_provider.AccessToken",
        on_delete=models.CASCADE,
        related_name="push_subscription",
    )
    owner = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    endpoint = models.TextField()
    p256dh = models.CharField(max_length=128)
    auth = models.CharField(max_length=64)
    alerts = models.JSONField(default=default_alerts)
    policy = models.CharField(max_length=16, choices=PushPolicy.choices, default=PushPolicy.ALL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Push subscription of {self.owner_id}"
