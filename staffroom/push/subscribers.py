"""Pushing new notifications: for each subscription of the recipient whose alert for the
kind is on, a `push_deliver` job, enqueued in the transaction that wrote the notification
(a rolled-back notification pushes nothing)."""

from __future__ import annotations

from staffroom.core.events import NotificationCreated, subscriber
from staffroom.core.jobs import enqueue
from staffroom.push import tasks
from staffroom.push.rules import alert_enabled
from staffroom.push.selectors import subscriptions_for


@subscriber(NotificationCreated)
def push_notification(event: NotificationCreated) -> None:
    for subscription in subscriptions_for(event.recipient_id):
        if alert_enabled(subscription, event.kind):
            enqueue(
                tasks.push_deliver,
                subscription_id=subscription.pk,
                notification_id=event.notification_id,
            )
