"""Mastodon's notification policy: `/api/v2/notifications/policy` (4.3: accept, filter or
drop per category of sender) and `/api/v1/notifications/policy` (4.2's booleans, for older
apps). Both read and change the same NotificationPolicy; both carry the summary of what
waits under notification requests. Each answers to PATCH and PUT, as Mastodon's do."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from staffroom.core.api.auth import TokenAuth
from staffroom.notifications.api.entities import (
    NotificationPolicyV1Entity,
    NotificationPolicyV2Entity,
    policy_v1_entity,
    policy_v2_entity,
)
from staffroom.notifications.api.schemas import (
    NotificationPolicyV1,
    NotificationPolicyV1In,
    NotificationPolicyV2,
    NotificationPolicyV2In,
)
from staffroom.notifications.models import PolicyChoice
from staffroom.notifications.selectors import policy_of, policy_summary
from staffroom.notifications.services import policy_update
from staffroom.profiles.selectors import own_profile

v2_router = Router(tags=["notifications"])
v1_router = Router(tags=["notifications"])


@v2_router.get(
    "",
    response=NotificationPolicyV2,
    auth=TokenAuth("read:notifications"),
    summary="Your notification policy: accept, filter or drop, per category of sender",
)
def policy_v2_get(request: HttpRequest) -> NotificationPolicyV2Entity:
    viewer = own_profile(request)
    return policy_v2_entity(policy_of(viewer), policy_summary(viewer))


@v2_router.api_operation(
    ["PATCH", "PUT"],
    "",
    response=NotificationPolicyV2,
    auth=TokenAuth("write:notifications"),
    summary="Change your notification policy (`for_not_following`, `for_not_followers`, "
    "`for_new_accounts`, `for_private_mentions`, `for_limited_accounts`)",
)
def policy_v2_update(
    request: HttpRequest, payload: NotificationPolicyV2In
) -> NotificationPolicyV2Entity:
    """Each `accept`, `filter` or `drop`; one left out is unchanged. Another value is a 422
    and nothing changes. Notifications already written stay where they are."""
    viewer = own_profile(request)
    policy = policy_update(viewer, **payload.model_dump())
    return policy_v2_entity(policy, policy_summary(viewer))


def _v1_choice(value: bool | None) -> str | None:
    if value is None:
        return None
    return PolicyChoice.FILTER if value else PolicyChoice.ACCEPT


@v1_router.get(
    "",
    response=NotificationPolicyV1,
    auth=TokenAuth("read:notifications"),
    summary="Your notification policy as booleans (Mastodon 4.2; true where not accepted)",
)
def policy_v1_get(request: HttpRequest) -> NotificationPolicyV1Entity:
    viewer = own_profile(request)
    return policy_v1_entity(policy_of(viewer), policy_summary(viewer))


@v1_router.api_operation(
    ["PUT", "PATCH"],
    "",
    response=NotificationPolicyV1,
    auth=TokenAuth("write:notifications"),
    summary="Change your notification policy as booleans (`filter_not_following`, "
    "`filter_not_followers`, `filter_new_accounts`, `filter_private_mentions`)",
)
def policy_v1_update(
    request: HttpRequest, payload: NotificationPolicyV1In
) -> NotificationPolicyV1Entity:
    """true puts that category aside (`filter`), false accepts it; one left out is
    unchanged."""
    viewer = own_profile(request)
    policy = policy_update(
        viewer,
        for_not_following=_v1_choice(payload.filter_not_following),
        for_not_followers=_v1_choice(payload.filter_not_followers),
        for_new_accounts=_v1_choice(payload.filter_new_accounts),
        for_private_mentions=_v1_choice(payload.filter_private_mentions),
    )
    return policy_v1_entity(policy, policy_summary(viewer))
