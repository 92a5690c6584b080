"""Signed, expiring, single-use e-mail verification links.

A token signs the user id, the address and whether it was verified at signing time; once
the address is verified (or changed) the same link no longer matches and is refused as used.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing

from staffroom.accounts.models import User

_SALT = "staffroom.accounts.email-verification"


@dataclass(frozen=True)
class TokenCheck:
    user: User | None
    problem: str | None  # None, "invalid", "expired" or "used"


def _state(user: User) -> str:
    return user.email_verified_at.isoformat() if user.email_verified_at else "unverified"


def make_verification_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email, "s": _state(user)}, salt=_SALT)


def check_verification_token(token: str) -> TokenCheck:
    try:
        data = signing.loads(
            token, salt=_SALT, max_age=settings.STAFFROOM_EMAIL_VERIFICATION_MAX_AGE
        )
    except signing.SignatureExpired:
        return TokenCheck(None, "expired")
    except signing.BadSignature:
        return TokenCheck(None, "invalid")
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return TokenCheck(None, "invalid")
    user = User.objects.filter(pk=int(data["u"])).first()
    if user is None:
        return TokenCheck(None, "invalid")
    if data.get("e") != user.email or data.get("s") != _state(user):
        return TokenCheck(user, "used")
    return TokenCheck(user, None)
