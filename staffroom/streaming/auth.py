"""Who is asking: the viewer of a streaming request, from its token or its session cookie.

The token comes as Mastodon's clients send it: `Authorization: Bearer`, the `access_token`
query parameter, or (browsers' WebSocket API cannot set headers) `Sec-WebSocket-Protocol`.
The web UI's own pages use the session cookie instead, on server-sent events only: a GET
that a cross-site page may start but not read (no CORS), while a cross-site WebSocket could
read what it opened, so WebSockets never accept a cookie.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user
from django.http import HttpRequest
from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from staffroom.core.api.auth import access_token_for
from staffroom.core.api.scopes import parse_scopes
from staffroom.profiles.models import good_standing_q
from staffroom.streaming.streams import StreamError, Viewer

# What the session cookie grants: reading, as the signed-in web UI does.
SESSION_SCOPES = frozenset({"read"})


def presented_token(
    headers: Mapping[str, str], params: Mapping[str, str], subprotocols: Sequence[str] = ()
) -> str | None:
    """The raw token a request presents, in Mastodon's order of preference: the header,
    the query parameter, then the WebSocket's first subprotocol."""
    authorization = headers.get("authorization", "")
    scheme, _, raw = authorization.partition(" ")
    if scheme.lower() == "bearer" and raw.strip():
        return raw.strip()
    return params.get("access_token") or (subprotocols[0] if subprotocols else None)


def viewer_for_token(raw: str) -> Viewer:
    """The viewer a token stands for, or StreamError 401 (database: call from a thread)."""
    token = access_token_for(raw)
    if token is None or token.user is None:
        raise StreamError(401, "Invalid access token")
    profile = getattr(token.user, "profile", None)
    if profile is None or not profile.is_in_good_standing:
        raise StreamError(401, "Invalid access token")
    return Viewer(
        account_id=profile.pk, scopes=frozenset(parse_scopes(token.scope)), token_id=token.pk
    )


def viewer_for_session(cookies: Mapping[str, str]) -> Viewer | None:
    """The signed-in web UI's viewer from its session cookie, or None (database: call from a
    thread). Django's own `get_user` checks the session's password hash, so a session that
    a password change or a sign-out everywhere ended does not stream."""
    key = cookies.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return None
    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(key)
    user: Any = get_user(request)
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    if profile is None or not profile.is_in_good_standing:
        return None
    return Viewer(account_id=profile.pk, scopes=SESSION_SCOPES, session_key=key)


def still_valid(viewers: Collection[Viewer]) -> set[Viewer]:
    """Those of `viewers` whose token is still live (not revoked or expired, its user
    active and in good standing) or whose session still signs them in: one query for all
    the tokens, one session read per session viewer (database: call from a thread)."""
    token_ids = {viewer.token_id for viewer in viewers if viewer.token_id is not None}
    live_tokens = set(
        get_access_token_model()
        .objects.filter(pk__in=token_ids, expires__gt=timezone.now(), user__is_active=True)
        .filter(good_standing_q("user__profile__"))
        .values_list("pk", flat=True)
    )
    valid = {viewer for viewer in viewers if viewer.token_id in live_tokens}
    for viewer in viewers:
        if viewer.session_key is not None:
            current = viewer_for_session({settings.SESSION_COOKIE_NAME: viewer.session_key})
            if current is not None and current.account_id == viewer.account_id:
                valid.add(viewer)
    return valid
