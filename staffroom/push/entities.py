"""Mastodon's WebPushSubscription entity."""

from __future__ import annotations

from typing import TypedDict

from staffroom.push.keys import vapid_public_key
from staffroom.push.models import ALERT_NAMES, PushSubscription


class WebPushSubscriptionEntity(TypedDict):
    id: str
    endpoint: str
    alerts: dict[str, bool]
    policy: str
    server_key: str


def subscription_entity(subscription: PushSubscription) -> WebPushSubscriptionEntity:
    return {
        "id": str(subscription.pk),
        "endpoint": subscription.endpoint,
        "alerts": {name: bool(subscription.alerts.get(name, False)) for name in ALERT_NAMES},
        "policy": subscription.policy,
        "server_key": vapid_public_key(),
    }
