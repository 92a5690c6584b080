"""The push job: one per subscription and notification, retried with the jobs' backoff
when the push service is busy or unreachable."""

from __future__ import annotations

from staffroom.core.jobs import job
from staffroom.notifications.models import Notification
from staffroom.push.delivery import Outcome, push_send
from staffroom.push.models import PushSubscription
from staffroom.push.payload import push_payload
from staffroom.push.rules import may_push
from staffroom.push.services import subscription_drop


class PushRetry(RuntimeError):
    """The push service answered 429 or 5xx, or could not be reached: try again later."""


@job(max_attempts=8)
def push_deliver(*, subscription_id: int, notification_id: int) -> None:
    """Re-reads both rows: a notification dismissed or a subscription removed before the
    job ran sends nothing."""
    subscription = (
        PushSubscription.objects.select_related("access_token").filter(pk=subscription_id).first()
    )
    notification = (
        Notification.objects.select_related("account", "recipient", "status")
        .filter(pk=notification_id)
        .first()
    )
    if subscription is None or notification is None or not may_push(subscription, notification):
        return
    outcome = push_send(subscription, push_payload(subscription, notification))
    if outcome is Outcome.GONE:
        subscription_drop(subscription.pk)
    elif outcome is Outcome.RETRY:
        raise PushRetry(f"push to subscription {subscription.pk} will be retried")
