"""`/api/v1/apps`: register an application, check an application token."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from staffroom.core import ratelimit
from staffroom.core.api.auth import TokenAuth
from staffroom.core.client_ip import client_ip
from staffroom.mastodon_api.entities import ApplicationEntity, application_entity
from staffroom.oauth.services import application_register

router = Router(tags=["apps"])


class ApplicationIn(Schema):
    client_name: str = Field(..., max_length=200)
    redirect_uris: str | list[str] = Field("urn:ietf:wg:oauth:2.0:oob")
    scopes: str = Field("read", max_length=2000)
    website: str | None = Field(None, max_length=2000)


class ApplicationOut(Schema):
    id: str
    name: str
    website: str | None
    scopes: list[str]
    redirect_uri: str
    redirect_uris: list[str]
    vapid_key: str


class CredentialApplicationOut(ApplicationOut):
    """Right after registration only: the client credentials (the secret is not kept)."""

    client_id: str
    client_secret: str
    client_secret_expires_at: int


@router.post("", response=CredentialApplicationOut, summary="Register an application")
def create_app(request: HttpRequest, payload: ApplicationIn) -> ApplicationEntity:
    """Anyone may register an app (as on Mastodon); registrations are rate limited per address."""
    ratelimit.enforce("app-registration", client_ip(request))
    registered = application_register(
        name=payload.client_name,
        redirect_uris=payload.redirect_uris,
        scopes=payload.scopes,
        website=payload.website or "",
    )
    return application_entity(registered.application, client_secret=registered.client_secret)


@router.get(
    "/verify_credentials",
    response=ApplicationOut,
    auth=TokenAuth(None, user_required=False),
    summary="Check the application of the current token",
)
def verify_app(request: HttpRequest) -> ApplicationEntity:
    return application_entity(request.auth.application)  # type: ignore[attr-defined]
