"""Whether a notification is pushed to a subscription: its alert flag for the notification's
kind is on, and the subscription's policy admits the notification's author."""

from __future__ import annotations

from staffroom.graph.models import Follow
from staffroom.notifications.models import Notification
from staffroom.push.models import PushPolicy, PushSubscription
from staffroom.push.payload import ALERT_FOR_KIND


def alert_enabled(subscription: PushSubscription, kind: str) -> bool:
    alert = ALERT_FOR_KIND.get(kind)
    return alert is not None and bool(subscription.alerts.get(alert, False))


def policy_admits(subscription: PushSubscription, recipient_id: int, author_id: int) -> bool:
    """`followed`: only from people the teacher follows; `follower`: only from their
    followers; `none`: nobody; `all`: everyone."""
    if subscription.policy == PushPolicy.ALL:
        return True
    if subscription.policy == PushPolicy.FOLLOWED:
        return Follow.objects.filter(follower_id=recipient_id, followee_id=author_id).exists()
    if subscription.policy == PushPolicy.FOLLOWER:
        return Follow.objects.filter(follower_id=author_id, followee_id=recipient_id).exists()
    return False


def may_push(subscription: PushSubscription, notification: Notification) -> bool:
    if notification.while_away or subscription.owner_id != notification.recipient_id:
        return False
    return alert_enabled(subscription, notification.kind) and policy_admits(
        subscription, notification.recipient_id, notification.account_id
    )
