"""The OpenAPI shapes of `/api/v1/push/subscription`."""

from __future__ import annotations

from ninja import Field, Schema


class WebPushSubscription(Schema):
    id: str
    endpoint: str
    alerts: dict[str, bool]
    policy: str
    server_key: str = Field(description="The server's VAPID public key (URL-safe base64)")
