"""`/api/v1/push/subscription`: one Web Push subscription per access token, as Mastodon
(scope `push`). Bodies come as JSON, forms or Rails-style bracket keys
(`subscription[keys][p256dh]`, `data[alerts][mention]=true`) through `core.api.input`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from staffroom.core.api.auth import TokenAuth
from staffroom.core.api.input import request_data
from staffroom.core.api.openapi import also_answers
from staffroom.profiles.selectors import own_profile
from staffroom.push.entities import WebPushSubscriptionEntity, subscription_entity
from staffroom.push.schemas import WebPushSubscription
from staffroom.push.selectors import subscription_of
from staffroom.push.services import (
    subscription_create,
    subscription_delete,
    subscription_update,
)

router = Router(tags=["push"])

_BODY_DOC = {
    "requestBody": {
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "subscription": {
                            "type": "object",
                            "properties": {
                                "endpoint": {"type": "string"},
                                "keys": {
                                    "type": "object",
                                    "properties": {
                                        "p256dh": {"type": "string"},
                                        "auth": {"type": "string"},
                                    },
                                },
                            },
                        },
                        "data": {
                            "type": "object",
                            "properties": {
                                "alerts": {
                                    "type": "object",
                                    "additionalProperties": {"type": "boolean"},
                                },
                                "policy": {
                                    "type": "string",
                                    "enum": ["all", "followed", "follower", "none"],
                                },
                            },
                        },
                    },
                }
            }
        }
    }
}


def _object(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


@router.post(
    "/subscription",
    response=WebPushSubscription,
    auth=TokenAuth("push"),
    summary="Subscribe this token's app to Web Push (replaces its earlier subscription)",
    openapi_extra=_BODY_DOC,
)
def push_subscribe(request: HttpRequest) -> WebPushSubscriptionEntity:
    """The endpoint must be https and public; bad keys or an endpoint we will not send to
    are a 422 that says which."""
    body = request_data(request)
    subscription = _object(body.get("subscription"))
    keys = _object(subscription.get("keys"))
    data = _object(body.get("data"))
    created = subscription_create(
        actor=own_profile(request),
        token=request.oauth_token,  # type: ignore[attr-defined]
        endpoint=subscription.get("endpoint"),
        p256dh=keys.get("p256dh"),
        auth=keys.get("auth"),
        alerts=data.get("alerts"),
        policy=data.get("policy"),
    )
    return subscription_entity(created)


@router.get(
    "/subscription",
    response=WebPushSubscription,
    auth=TokenAuth("push"),
    openapi_extra=also_answers(404),
    summary="This token's Web Push subscription (404 when it has none)",
)
def push_subscription_get(request: HttpRequest) -> WebPushSubscriptionEntity:
    return subscription_entity(subscription_of(request.oauth_token))  # type: ignore[attr-defined]


@router.put(
    "/subscription",
    response=WebPushSubscription,
    auth=TokenAuth("push"),
    summary="Change which alerts and whose notifications are pushed",
    openapi_extra=_BODY_DOC,
)
def push_subscription_update(request: HttpRequest) -> WebPushSubscriptionEntity:
    data = _object(request_data(request).get("data"))
    updated = subscription_update(
        token=request.oauth_token,  # type: ignore[attr-defined]
        alerts=data.get("alerts"),
        policy=data.get("policy"),
    )
    return subscription_entity(updated)


@router.delete(
    "/subscription",
    response=dict[str, Any],
    auth=TokenAuth("push"),
    summary="Unsubscribe this token's app (answers `{}`)",
)
def push_unsubscribe(request: HttpRequest) -> dict[str, Any]:
    subscription_delete(token=request.oauth_token)  # type: ignore[attr-defined]
    return {}
