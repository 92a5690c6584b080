"""Mastodon entities built from our models (wire formats stay out of the models)."""

from __future__ import annotations

from typing import Any

from staffroom.core.api.scopes import parse_scopes
from staffroom.mastodon_api.models import OAuthApplication


def application_entity(app: OAuthApplication, *, client_secret: str | None = None) -> dict[str, Any]:
    """Mastodon's Application; the credentials only right after registration."""
    uris = app.redirect_uri_list()
    entity: dict[str, Any] = {
        "id": str(app.pk),
        "name": app.name,
        "website": app.website or None,
        "scopes": parse_scopes(app.scopes),
        "redirect_uri": "\n".join(uris),
        "redirect_uris": uris,
        "vapid_key": "",
    }
    if client_secret is not None:
        entity.update(
            client_id=app.client_id, client_secret=client_secret, client_secret_expires_at=0
        )
    return entity
