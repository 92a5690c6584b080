"""Reading push subscriptions."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from staffroom.core.exceptions import NotFound
from staffroom.push.models import PushSubscription

NOT_FOUND = _("Record not found")


def subscription_of(token: Any) -> PushSubscription:
    """The subscription of this access token; a 404 as Mastodon's when it has none."""
    found = PushSubscription.objects.filter(access_token=token).first()
    if found is None:
        raise NotFound(NOT_FOUND)
    return found


def subscriptions_for(profile_id: int) -> list[PushSubscription]:
    """Every subscription of one teacher, with its token (the payload names it)."""
    return list(PushSubscription.objects.filter(owner_id=profile_id).select_related("access_token"))
