"""What a push says: Mastodon's JSON payload (`notification_id`, `notification_type`, a
title and a short body the phone shows before the app opens).

`access_token` names the token the subscription belongs to. Staffroom keeps only a hash of
each token (RFC 9700), so it sends the token's id there: apps use the field to tell their
accounts apart, and open the notification with their own stored token.
"""

from __future__ import annotations

from typing import TypedDict

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from staffroom.core.html import plain_text
from staffroom.core.images import media_url
from staffroom.notifications.models import Notification
from staffroom.profiles.uris import instance_base_url
from staffroom.push.models import PushSubscription

BODY_MAX_CHARS = 140

_TITLES = {
    "mention": "%(name)s mentioned you",
    "status": "%(name)s just posted",
    "reblog": "%(name)s reshared your post",
    "favourite": "%(name)s favourited your post",
    "follow": "%(name)s followed you",
    "follow_request": "%(name)s asked to follow you",
    "pln.connection_request": "%(name)s asked to connect with you",
    "pln.connection_accepted": "%(name)s accepted your connection",
    "pln.report_resolved": "Your report was handled",
    "poll": "A poll you voted in or created has ended",
}

# Which alert flag of a subscription each notification kind answers to.
ALERT_FOR_KIND = {
    "mention": "mention",
    "status": "status",
    "reblog": "reblog",
    "favourite": "favourite",
    "follow": "follow",
    "follow_request": "follow_request",
    "pln.connection_request": "follow_request",
    "pln.connection_accepted": "follow",
    "poll": "poll",
}


class PushPayload(TypedDict):
    access_token: str
    preferred_locale: str
    notification_id: str
    notification_type: str
    icon: str
    title: str
    body: str


def _shortened(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= BODY_MAX_CHARS else text[: BODY_MAX_CHARS - 1] + "…"


def _icon(notification: Notification) -> str:
    avatar = notification.account.avatar
    return instance_base_url() + media_url(avatar) if avatar else ""


def _body(notification: Notification) -> str:
    status = notification.status
    if status is None:
        return _shortened(plain_text(notification.account.note or ""))
    if status.spoiler_text:
        return _shortened(status.spoiler_text)
    return _shortened(plain_text(status.content))


def push_payload(subscription: PushSubscription, notification: Notification) -> PushPayload:
    """The payload for one notification, in the site's language."""
    locale = settings.LANGUAGE_CODE
    with override(locale):
        template = _TITLES.get(notification.kind, "%(name)s")
        title = _(template) % {"name": notification.account.name_for_display}
        return {
            "access_token": str(subscription.access_token_id),
            "preferred_locale": locale,
            "notification_id": str(notification.pk),
            "notification_type": notification.kind,
            "icon": _icon(notification),
            "title": title,
            "body": _body(notification),
        }
