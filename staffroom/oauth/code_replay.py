"""Revoking what an authorization code produced when the code comes back (RFC 6749 §10.5)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_refresh_token_model

from staffroom.oauth.models import OAuthApplication, SpentAuthorizationCode

# A code lives a minute (AUTHORIZATION_CODE_EXPIRE_SECONDS); a replay an hour later is still
# caught, and the table never holds more than an hour of sign-ins.
SPENT_CODE_MEMORY = timedelta(hours=1)


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


@transaction.atomic
def authorization_code_spent(
    *, code: str, application: OAuthApplication, raw_access_token: str
) -> None:
    """Remember that `code` was exchanged for `raw_access_token` (and its refresh token)."""
    SpentAuthorizationCode.objects.filter(created__lt=timezone.now() - SPENT_CODE_MEMORY).delete()
    checksum = hashlib.sha256(raw_access_token.encode()).hexdigest()
    token = get_access_token_model().objects.filter(token_checksum=checksum).first()
    refresh = (
        get_refresh_token_model().objects.filter(access_token=token).first() if token else None
    )
    SpentAuthorizationCode.objects.update_or_create(
        code_digest=_digest(code),
        defaults={
            "application": application,
            "access_token": token,
            "token_family": refresh.token_family if refresh is not None else None,
        },
    )


@transaction.atomic
def authorization_code_replayed(*, code: str, application: OAuthApplication) -> bool:
    """Revoke every token a spent `code` produced; False when `code` was never spent here.

    The refresh token's family is revoked whole, so tokens refreshed since go too.
    """
    spent = SpentAuthorizationCode.objects.filter(
        code_digest=_digest(code), application=application
    ).first()
    if spent is None:
        return False
    access_token_id = spent.access_token_id  # read first: revoking the family deletes it
    if spent.token_family is not None:
        get_refresh_token_model().revoke_family(spent.token_family)
    # Revoking an access token is deleting it (the toolkit's `AccessToken.revoke`).
    get_access_token_model().objects.filter(pk=access_token_id).delete()
    spent.delete()
    return True
