import pytest
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.test import override_settings

from staffroom.accounts.validators import MaximumLengthValidator
from tests.factories import make_user

PRODUCTION_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


def test_production_settings_hash_with_argon2id_first():
    """SECURITY-PLAN A-2."""
    from staffroom.config.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_new_passwords_are_argon2id_and_legacy_hashes_upgrade_on_sign_in(client):
    """SECURITY-PLAN A-2."""
    user = make_user(handle="legacy")
    assert user.password.startswith("argon2$argon2id$")
    user.password = make_password("old style passphrase", hasher="pbkdf2_sha256")
    user.save()
    response = client.post(
        "/accounts/login", {"username": "legacy", "password": "old style passphrase"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")


def test_long_passphrases_are_welcome_but_not_megabytes():
    """SECURITY-PLAN A-2."""
    validator = MaximumLengthValidator()
    validator.validate("w" * 64)
    validator.validate("w" * 256)
    with pytest.raises(ValidationError):
        validator.validate("w" * 257)
