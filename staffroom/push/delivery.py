"""Sending one push: the payload encrypted for the subscription's keys (RFC 8291,
aes128gcm) and signed with the server's VAPID key (RFC 8292), by pywebpush over requests
with a timeout.

The endpoint is checked again before each send (DNS may have changed since the app
subscribed). The answer decides what happens next: 2xx done; 404 or 410 the subscription
is gone; 429, 5xx or a network error is worth retrying; any other answer
(a redirect included: none is followed) is final.
"""

from __future__ import annotations

import enum
import json
import logging
from email.utils import parseaddr

import requests
from django.conf import settings
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

from staffroom.profiles.uris import instance_base_url
from staffroom.push.endpoints import ForbiddenEndpoint, endpoint_check
from staffroom.push.keys import vapid_private_key
from staffroom.push.models import PushSubscription
from staffroom.push.payload import PushPayload

logger = logging.getLogger(__name__)

TTL_SECONDS = 48 * 3600
URGENCY = "normal"


class Outcome(enum.Enum):
    SENT = "sent"
    GONE = "gone"
    RETRY = "retry"
    REFUSED = "refused"


def _outcome_of(status: int) -> Outcome:
    if 200 <= status < 300:
        return Outcome.SENT
    if status in (404, 410):
        return Outcome.GONE
    if status == 429 or status >= 500:
        return Outcome.RETRY
    return Outcome.REFUSED


class _NoRedirects(requests.Session):
    """A push service never redirects; following one would let an endpoint that passed the
    address check send us to a forbidden address."""

    def get_redirect_target(self, resp: requests.Response) -> str | None:
        return None


def _contact() -> str:
    """VAPID's `sub`: who push services may write to about our pushes (the site's https
    address, or its sender e-mail address where the site is plain http)."""
    base = instance_base_url()
    if base.startswith("https://"):
        return base + "/"
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "webmaster@localhost"
    return f"mailto:{address}"


def push_send(subscription: PushSubscription, payload: PushPayload) -> Outcome:
    """Send `payload` to `subscription`'s endpoint and say how it went."""
    try:
        endpoint_check(subscription.endpoint)
    except ForbiddenEndpoint as error:
        logger.warning("Push endpoint refused at delivery: %s", error)
        return Outcome.REFUSED
    vapid = Vapid02(private_key=vapid_private_key())
    session = _NoRedirects()
    try:
        response = webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=json.dumps(payload),
            vapid_private_key=vapid,
            vapid_claims={"sub": _contact()},
            content_encoding="aes128gcm",
            ttl=TTL_SECONDS,
            headers={"Urgency": URGENCY},
            timeout=settings.PUSH_TIMEOUT_SECONDS,
            requests_session=session,
        )
    except WebPushException as error:
        if error.response is None:
            return Outcome.RETRY
        return _outcome_of(error.response.status_code)
    except requests.RequestException:
        return Outcome.RETRY
    finally:
        session.close()
    if isinstance(response, requests.Response):
        return _outcome_of(response.status_code)
    return Outcome.SENT
