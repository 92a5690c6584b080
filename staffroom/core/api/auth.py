"""Bearer-token authentication for the API, with Mastodon's layered scopes per route.

Tokens are django-oauth-toolkit access tokens, stored hashed (RFC 9700): the lookup is by
the SHA-256 checksum of the presented token. Session cookies never authenticate API
requests, so a cross-site form cannot act through the API (no CSRF surface).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from oauth2_provider.models import get_access_token_model

from staffroom.core.api.errors import ScopeError
from staffroom.core.api.scopes import parse_scopes, scopes_allow

MAX_TOKEN_LENGTH = 255


def access_token_for(raw: str) -> Any | None:
    """The live access token for `raw` (not expired, its user active), or None. The user's
    profile comes along, so `own_profile` costs no second query on API routes.

    Every API request pays for this query, so it is kept cheap to build: the checksum is
    unique (no ORDER BY, which `.first()` would add) and the application, which one route
    reads, is not joined (building the SQL for its columns cost more than running it)."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        return None
    checksum = hashlib.sha256(raw.encode()).hexdigest()
    found = (
        get_access_token_model()
        .objects.select_related("user__profile")
        .filter(token_checksum=checksum)[:1]
    )
    token = next(iter(found), None)
    if token is None or token.expires <= timezone.now():
        return None
    if token.user is not None and not token.user.is_active:
        return None
    return token


class TokenAuth(HttpBearer):
    """`auth=TokenAuth("read:accounts")` on a route: a valid token holding that scope.

    `TokenAuth(None)` accepts any valid token. `user_required=False` also accepts an
    application token (client credentials), as `GET /api/v1/apps/verify_credentials` does.
    A missing or bad token is a 401; a valid one without the scope is a 403.
    """

    def __init__(self, scope: str | None, *, user_required: bool = True) -> None:
        super().__init__()
        self.scope = scope
        self.user_required = user_required

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        access = access_token_for(token)
        if access is None or (self.user_required and access.user is None):
            return None
        if self.scope is not None and not scopes_allow(parse_scopes(access.scope), self.scope):
            raise ScopeError(self.scope)
        request.user = access.user if access.user is not None else request.user
        request.oauth_token = access  # type: ignore[attr-defined]
        return access


def optional_token(request: HttpRequest) -> Any | None:
    """The request's valid token when it sends one, for routes that anyone may read: None
    when no bearer token is sent (signed out). A bearer token that is not valid (unknown,
    expired, revoked, its user deactivated) is a 401, as on routes that require one: the
    client believes it is signed in and must learn that it is not, instead of being served
    the signed-out answer as if it were the signed-in one."""
    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    access = access_token_for(raw.strip())
    if access is None:
        raise AuthenticationError
    if access is not None and access.user is not None:
        request.user = access.user
    return access
