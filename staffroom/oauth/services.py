"""Writes for OAuth applications and tokens (registration, personal tokens, revocation)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_access_token_model, get_refresh_token_model, set_token_value

from staffroom.accounts.models import User
from staffroom.core.api.scopes import parse_scopes, scopes_within, unknown_scopes
from staffroom.core.exceptions import NotFound, ValidationFailed
from staffroom.oauth.models import OAuthApplication
from staffroom.oauth.redirects import (
    MAX_REDIRECT_URIS,
    OOB_REDIRECT_URI,
    redirect_uri_problem,
)

APP_NAME_MAX = 100
CLI_APP_NAME = "Staffroom command line"


@dataclass(frozen=True)
class RegisteredApp:
    """A new application and its client secret (shown once: only a hash is stored)."""

    application: OAuthApplication
    client_secret: str


@dataclass(frozen=True)
class IssuedToken:
    access_token: Any
    raw_token: str


def _clean_redirect_uris(raw: str | list[str] | None) -> list[str]:
    items = raw if isinstance(raw, list) else (raw or OOB_REDIRECT_URI).split()
    uris = list(dict.fromkeys(str(item).strip() for item in items if str(item).strip()))
    if not uris:
        uris = [OOB_REDIRECT_URI]
    if len(uris) > MAX_REDIRECT_URIS:
        raise ValidationFailed(_("Validation failed: Redirect URI: at most 10 are allowed"))
    for uri in uris:
        problem = redirect_uri_problem(uri)
        if problem:
            raise ValidationFailed(
                _("Validation failed: Redirect URI %(uri)s %(problem)s")
                % {"uri": uri[:100], "problem": problem}
            )
    return uris


def _clean_scopes(raw: str | list[str] | None) -> list[str]:
    scopes = parse_scopes(raw) or ["read"]
    unknown = unknown_scopes(scopes)
    if unknown:
        raise ValidationFailed(
            _("Validation failed: Scopes are unknown: %(scopes)s") % {"scopes": " ".join(unknown)}
        )
    return scopes


@transaction.atomic
def application_register(
    *,
    name: str,
    redirect_uris: str | list[str] | None,
    scopes: str | list[str] | None = None,
    website: str = "",
    owner: User | None = None,
) -> RegisteredApp:
    """Register an OAuth application as `POST /api/v1/apps` does (a confidential client).

    Raises ValidationFailed (422) for a missing or long name, unknown scopes, or a redirect
    URI that is not allowed (see `redirects.redirect_uri_problem`).
    """
    name = (name or "").strip()
    if not name or len(name) > APP_NAME_MAX:
        raise ValidationFailed(_("Validation failed: Application name must be 1 to 100 characters"))
    if website and (len(website) > 2000 or not website.startswith(("https://", "http://"))):
        raise ValidationFailed(_("Validation failed: Website must be an http(s) address"))
    uris = _clean_redirect_uris(redirect_uris)
    secret = generate_client_secret()
    app = OAuthApplication(
        name=name,
        user=owner,
        redirect_uris=" ".join(uris),
        scopes=" ".join(_clean_scopes(scopes)),
        website=website,
        client_type=OAuthApplication.CLIENT_CONFIDENTIAL,
        authorization_grant_type=OAuthApplication.GRANT_AUTHORIZATION_CODE,
        client_secret=secret,
    )
    app.save()
    return RegisteredApp(application=app, client_secret=secret)


@transaction.atomic
def personal_token_create(
    *, user: User, scopes: str | list[str], application: OAuthApplication | None = None
) -> IssuedToken:
    """Issue an access token for `user` directly (the settings page, `staffroom token`).

    Uses `application` or the one command-line application Staffroom keeps for this. The
    raw token is returned once; only its checksum is stored.
    """
    wanted = _clean_scopes(scopes)
    app = application or cli_application()
    if not scopes_within(wanted, parse_scopes(app.scopes)):
        raise ValidationFailed(_("Validation failed: Scopes exceed what the application may ask"))
    raw = secrets.token_urlsafe(32)
    token_model = get_access_token_model()
    token = token_model(
        user=user,
        application=app,
        scope=" ".join(wanted),
        expires=timezone.now()
        + timedelta(seconds=settings.OAUTH2_PROVIDER["ACCESS_TOKEN_EXPIRE_SECONDS"]),
    )
    set_token_value(token, raw)
    token.save()
    return IssuedToken(access_token=token, raw_token=raw)


def cli_application() -> OAuthApplication:
    """The one application behind command-line and settings-page tokens (made on first use)."""
    app: OAuthApplication | None = OAuthApplication.objects.filter(
        created_by_staffroom=True, name=CLI_APP_NAME
    ).first()
    if app is not None:
        return app
    created: OAuthApplication = OAuthApplication.objects.create(
        name=CLI_APP_NAME,
        redirect_uris=OOB_REDIRECT_URI,
        scopes="read write follow push profile",
        client_type=OAuthApplication.CLIENT_CONFIDENTIAL,
        authorization_grant_type=OAuthApplication.GRANT_AUTHORIZATION_CODE,
        client_secret=generate_client_secret(),
        created_by_staffroom=True,
    )
    return created


@transaction.atomic
def authorization_revoke(*, user: User, application_id: int) -> int:
    """Revoke every token `user` granted to one application; returns how many went.

    Raises NotFound when the user has no token for that application (someone else's app
    ids reveal nothing).
    """
    tokens = get_access_token_model().objects.filter(user=user, application_id=application_id)
    if not tokens.exists():
        raise NotFound(_("No such authorized application."))
    get_refresh_token_model().objects.filter(user=user, application_id=application_id).delete()
    count: int = tokens.count()
    for token in tokens:
        token.revoke()
    return count


@transaction.atomic
def application_delete(*, user: User, application_id: int) -> None:
    """Delete an application the teacher made, with every token it holds.

    Raises NotFound for applications of others (their ids reveal nothing).
    """
    deleted, _detail = OAuthApplication.objects.filter(pk=application_id, user=user).delete()
    if not deleted:
        raise NotFound(_("No such application."))


@transaction.atomic
def applications_delete_all(*, user: User) -> None:
    """Delete every application `user` made, with every token they hold (account
    deletion)."""
    OAuthApplication.objects.filter(user=user).delete()


@transaction.atomic
def tokens_revoke_all(*, user: User) -> int:
    """Revoke every access and refresh token of `user` (after a credential change).

    Returns how many access tokens went. The next API call with any of them is a 401.
    """
    get_refresh_token_model().objects.filter(user=user, revoked__isnull=True).update(
        revoked=timezone.now()
    )
    tokens = get_access_token_model().objects.filter(user=user)
    count: int = tokens.count()
    tokens.delete()
    return count
