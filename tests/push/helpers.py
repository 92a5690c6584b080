"""A push subscriber's side, for the tests: a P-256 key pair and an auth secret, as a phone
makes them, and a subscription body in Mastodon's shape."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


@dataclass
class Receiver:
    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        return b64url(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)

    def body(self, endpoint: str, **data: Any) -> dict[str, Any]:
        return {
            "subscription": {
                "endpoint": endpoint,
                "keys": {"p256dh": self.p256dh, "auth": self.auth},
            },
            "data": data,
        }
