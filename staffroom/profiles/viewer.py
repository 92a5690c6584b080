"""The viewer of a request: one way for pages and API routes alike.

- `own_profile(request)` (profiles.selectors): the signed-in teacher, for pages behind
  `login_required` and routes behind `TokenAuth`;
- `viewer_profile(request)`: the signed-in teacher or None, for pages anyone may open;
- `optional_viewer(request, scope)`: the same for API routes anyone may read, where a
  token, when sent, must be valid and hold `scope`.
"""

from __future__ import annotations

from django.http import HttpRequest

from staffroom.accounts.models import User
from staffroom.core.api.auth import optional_token
from staffroom.core.api.errors import ScopeError
from staffroom.core.api.scopes import parse_scopes, scopes_allow
from staffroom.profiles.models import Profile
from staffroom.profiles.selectors import own_profile


def viewer_profile(request: HttpRequest) -> Profile | None:
    """The signed-in teacher's profile, with its user; None for an anonymous visitor and
    for a user without a profile. No query where the profile came with the user (the
    token lookup of API routes loads it); one otherwise."""
    user = request.user
    if not isinstance(user, User):
        return None
    if "profile" in user._state.fields_cache:
        cached: Profile | None = user._state.fields_cache["profile"]
        return cached
    return Profile.objects.select_related("user").filter(user_id=user.pk).first()


def optional_viewer(request: HttpRequest, scope: str) -> Profile | None:
    """The viewer of an API route that anyone may read: None when signed out (no token, or
    a valid application token with no user); a token that is not valid is a 401
    (`optional_token`), and a valid one must hold `scope` (403 otherwise), as Mastodon's
    `authorize_if_got_token!`."""
    access = optional_token(request)
    if access is None or access.user is None:
        return None
    if not scopes_allow(parse_scopes(access.scope), scope):
        raise ScopeError(scope)
    return own_profile(request)
