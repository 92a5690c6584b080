"""Checking the keys an app subscribes with: `p256dh` its P-256 public key (the uncompressed
point, 65 bytes) and `auth` the 16-byte secret, both URL-safe base64 (padded or not)."""

from __future__ import annotations

import base64
import binascii

from cryptography.hazmat.primitives.asymmetric import ec
from django.utils.translation import gettext as _

from staffroom.core.exceptions import ValidationFailed

P256DH_BYTES = 65
AUTH_BYTES = 16
_MAX_TEXT = 256


def _decoded(text: str, name: str) -> bytes:
    if not text or len(text) > _MAX_TEXT or "\x00" in text:
        raise ValidationFailed(_("The push key %(name)s is missing or too long.") % {"name": name})
    cleaned = text.strip().rstrip("=").replace("+", "-").replace("/", "_")
    try:
        return base64.urlsafe_b64decode(cleaned + "=" * (-len(cleaned) % 4))
    except (binascii.Error, ValueError) as error:
        raise ValidationFailed(
            _("The push key %(name)s is not URL-safe base64.") % {"name": name}
        ) from error


def _normalised(raw: bytes) -> str:
    """Stored URL-safe and unpadded, whichever alphabet the app sent."""
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def p256dh_check(text: str) -> str:
    """The key, when it decodes to a point on P-256; a ValidationFailed otherwise."""
    raw = _decoded(text, "p256dh")
    if len(raw) != P256DH_BYTES or raw[0] != 0x04:
        raise ValidationFailed(
            _("The push key p256dh must be an uncompressed P-256 public key (65 bytes).")
        )
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError as error:
        raise ValidationFailed(_("The push key p256dh is not a point on P-256.")) from error
    return _normalised(raw)


def auth_check(text: str) -> str:
    raw = _decoded(text, "auth")
    if len(raw) != AUTH_BYTES:
        raise ValidationFailed(_("The push key auth must be a 16-byte secret."))
    return _normalised(raw)
