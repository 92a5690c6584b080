"""The server's VAPID key pair (RFC 8292): push services check that every push to a
subscription is signed by the key the app was given when it subscribed.

The pair is made once (EC P-256) and kept in DATA_DIR (`vapid_private_key.pem`, mode 0600),
so subscriptions stay valid across restarts; an operator may give it instead through
`STAFFROOM_VAPID_PRIVATE_KEY` and `STAFFROOM_VAPID_PUBLIC_KEY`.
"""

from __future__ import annotations

import base64
import os
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings

KEY_FILE_NAME = "vapid_private_key.pem"


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _generate(path: Path) -> ec.EllipticCurvePrivateKey:
    """Write a new key with 0600 permissions; a second process racing this one keeps the
    file the first wrote (O_EXCL)."""
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read(path)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    return key


def _read(path: Path) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError(f"{path} does not hold an EC private key")
    return key


def _from_setting(text: str) -> ec.EllipticCurvePrivateKey:
    """A PEM, or the raw 32-byte private number in URL-safe base64 (as Mastodon's
    VAPID_PRIVATE_KEY)."""
    if "BEGIN" in text:
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError("STAFFROOM_VAPID_PRIVATE_KEY is not an EC private key")
        return key
    number = int.from_bytes(_b64url_decode(text.strip()), "big")
    return ec.derive_private_key(number, ec.SECP256R1())


def private_key_file() -> Path:
    return Path(settings.DATA_DIR) / KEY_FILE_NAME


@cache
def vapid_private_key() -> ec.EllipticCurvePrivateKey:
    """The server's key: from the settings when given, else from the data folder, made
    there the first time."""
    configured = getattr(settings, "VAPID_PRIVATE_KEY", "")
    if configured:
        return _from_setting(configured)
    path = private_key_file()
    return _read(path) if path.exists() else _generate(path)


def vapid_public_key() -> str:
    """The public key as apps want it: the uncompressed point, URL-safe base64 unpadded."""
    configured = getattr(settings, "VAPID_PUBLIC_KEY", "")
    if configured:
        return str(configured).strip()
    point = (
        vapid_private_key()
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return _b64url(point)


def vapid_private_pem() -> str:
    """The private key as pywebpush's `vapid_private_key` takes it."""
    return (
        vapid_private_key()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode("ascii")
    )
