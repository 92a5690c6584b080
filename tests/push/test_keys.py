"""The VAPID key pair: made once in the data folder (0600), read back afterwards, or taken
from the settings."""

from __future__ import annotations

import base64
import stat
from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import override_settings

from staffroom.push import keys


@pytest.fixture
def fresh_keys() -> Iterator[None]:
    keys.vapid_private_key.cache_clear()
    yield
    keys.vapid_private_key.cache_clear()


def _point(public: str) -> bytes:
    return base64.urlsafe_b64decode(public + "=" * (-len(public) % 4))


def test_the_key_is_made_once_and_kept_private(tmp_path, fresh_keys):
    with override_settings(DATA_DIR=tmp_path, VAPID_PRIVATE_KEY="", VAPID_PUBLIC_KEY=""):
        public = keys.vapid_public_key()
        path = tmp_path / keys.KEY_FILE_NAME
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        written = path.read_bytes()
        keys.vapid_private_key.cache_clear()
        assert keys.vapid_public_key() == public
        assert path.read_bytes() == written
    raw = _point(public)
    assert len(raw) == 65
    assert raw[0] == 4
    ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)


def test_a_key_from_the_settings_is_used(tmp_path, fresh_keys):
    private = ec.generate_private_key(ec.SECP256R1())
    number = private.private_numbers().private_value.to_bytes(32, "big")
    text = base64.urlsafe_b64encode(number).rstrip(b"=").decode()
    with override_settings(DATA_DIR=tmp_path, VAPID_PRIVATE_KEY=text, VAPID_PUBLIC_KEY=""):
        public = keys.vapid_public_key()
    assert _point(public) == private.public_key().public_numbers().x.to_bytes(32, "big").rjust(
        33, b"\x04"
    ) + private.public_key().public_numbers().y.to_bytes(32, "big")
    assert not (tmp_path / keys.KEY_FILE_NAME).exists()
