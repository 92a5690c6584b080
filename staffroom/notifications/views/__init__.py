"""Notification pages (a package: the list and its actions, the settings, the e-mail
unsubscribe link). Each view checks its input, calls the notifications selectors or
services, and renders."""

from staffroom.notifications.views.pages import (
    away_summary_seen,
    badge,
    notification_dismiss,
    notification_list,
    notifications_clear,
    notifications_newer,
)
from staffroom.notifications.views.requests import request_action, request_list
from staffroom.notifications.views.settings import notification_policy, notification_settings
from staffroom.notifications.views.unsubscribe import unsubscribe

__all__ = [
    "away_summary_seen",
    "badge",
    "notification_dismiss",
    "notification_list",
    "notification_policy",
    "notification_settings",
    "notifications_clear",
    "notifications_newer",
    "request_action",
    "request_list",
    "unsubscribe",
]
