"""Password and e-mail rules beyond Django's own (ASVS 6.2, CVE-2026-41259)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from staffroom.accounts.models import User

PASSWORD_MAX_LENGTH = 256
EMAIL_MAX_LENGTH = 254
# A plain local part: no quotes, spaces, commas or percent signs (routing tricks).
_LOCAL_PART = re.compile(r"^[A-Za-z0-9.!#$&'*+/=?^_`{|}~-]+\Z")


class MaximumLengthValidator:
    """Long passphrases are welcome (64+), but not megabytes that the hasher must chew."""

    def validate(self, password: str, user: User | None = None) -> None:
        if len(password) > PASSWORD_MAX_LENGTH:
            raise ValidationError(
                _("Please use a password of at most %(max)d characters."),
                code="password_too_long",
                params={"max": PASSWORD_MAX_LENGTH},
            )

    def get_help_text(self) -> str:
        return _("Your password can be up to %(max)d characters long.") % {
            "max": PASSWORD_MAX_LENGTH
        }


def validate_signup_email(email: str) -> str:
    """Return the canonical (lower-case) address or raise ValidationError."""
    email = email.strip()
    message = _("Enter a valid e-mail address, like name@school.org.")
    if not email or len(email) > EMAIL_MAX_LENGTH or email.count("@") != 1:
        raise ValidationError(message, code="invalid_email")
    local, _sep, domain = email.rpartition("@")
    if not _LOCAL_PART.match(local):
        raise ValidationError(message, code="invalid_email")
    validate_email(email)
    return f"{local}@{domain.lower().rstrip('.')}".lower()


def email_domain_allowed(email: str, allowed: list[str]) -> bool:
    """True when the address's domain is one of `allowed` or below one (empty allows all)."""
    if not allowed:
        return True
    domain = email.rpartition("@")[2].lower().rstrip(".")
    return any(domain == entry or domain.endswith("." + entry) for entry in allowed)
