"""Writing push subscriptions: subscribing (which replaces the token's earlier one, as on
Mastodon), changing alerts and policy, unsubscribing, and dropping one the push service
says is gone."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from staffroom.core.exceptions import ValidationFailed
from staffroom.profiles.models import Profile
from staffroom.push.endpoints import ForbiddenEndpoint, endpoint_check
from staffroom.push.keysets import auth_check, p256dh_check
from staffroom.push.models import ALERT_NAMES, PushPolicy, PushSubscription, default_alerts
from staffroom.push.selectors import subscription_of

_FALSE = frozenset({"0", "f", "false", "off", "no", ""})


def _flag(value: object) -> bool:
    """Rails' boolean cast, as Mastodon reads `data[alerts][mention]=true`."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, str):
        return value.strip().lower() not in _FALSE
    return False


def alerts_merged(current: Mapping[str, bool], given: object) -> dict[str, bool]:
    """`current` with the known names of `given` set; unknown names are ignored, as on
    Mastodon."""
    merged = {name: bool(current.get(name, False)) for name in ALERT_NAMES}
    if given is None:
        return merged
    if not isinstance(given, Mapping):
        raise ValidationFailed(_("data[alerts] must be a set of named flags."))
    for name, value in given.items():
        if name in merged:
            merged[name] = _flag(value)
    return merged


def policy_checked(value: object) -> str:
    if value not in PushPolicy.values:
        raise ValidationFailed(_("data[policy] must be one of: all, followed, follower, none."))
    return str(value)


def _text(value: object, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValidationFailed(_("%(name)s is missing.") % {"name": name})
    return value


def subscription_create(
    *,
    actor: Profile,
    token: Any,
    endpoint: object,
    p256dh: object,
    auth: object,
    alerts: object = None,
    policy: object = None,
) -> PushSubscription:
    """Subscribe the token's app, replacing the token's earlier subscription."""
    try:
        checked_endpoint = endpoint_check(_text(endpoint, "subscription[endpoint]"))
    except ForbiddenEndpoint as error:
        raise ValidationFailed(str(error)) from error
    subscription = PushSubscription(
        access_token=token,
        owner=actor,
        endpoint=checked_endpoint,
        p256dh=p256dh_check(_text(p256dh, "subscription[keys][p256dh]")),
        auth=auth_check(_text(auth, "subscription[keys][auth]")),
        alerts=alerts_merged(default_alerts(), alerts),
        policy=PushPolicy.ALL if policy is None else policy_checked(policy),
    )
    with transaction.atomic():  # the checks above resolve DNS: outside the transaction
        PushSubscription.objects.filter(access_token=token).delete()
        subscription.save()
    return subscription


@transaction.atomic
def subscription_update(
    *, token: Any, alerts: object = None, policy: object = None
) -> PushSubscription:
    """Change what the token's subscription is woken for; its endpoint and keys stay."""
    subscription = subscription_of(token)
    subscription.alerts = alerts_merged(subscription.alerts, alerts)
    if policy is not None:
        subscription.policy = policy_checked(policy)
    subscription.save(update_fields=["alerts", "policy", "updated_at"])
    return subscription


def subscription_delete(*, token: Any) -> None:
    """Unsubscribe; answering `{}` whether or not there was one, as Mastodon does."""
    PushSubscription.objects.filter(access_token=token).delete()


def subscription_drop(subscription_id: int) -> None:
    """The push service answered 404 or 410: the app is gone, so is the subscription."""
    PushSubscription.objects.filter(pk=subscription_id).delete()
