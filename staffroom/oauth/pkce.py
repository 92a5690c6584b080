"""PKCE policy (django-oauth-toolkit's PKCE_REQUIRED takes a callable, not an import path)."""

from __future__ import annotations


def pkce_required(client_id: str) -> bool:
    """PKCE is required for public clients; confidential ones may use it (S256 only).

    Mastodon.py and many apps never send PKCE and register as confidential clients with a
    secret, so requiring it for them would lock them out (ASVS 10.4.6 is met for public
    clients, where a stolen code is the risk PKCE answers).
    """
    from staffroom.oauth.models import OAuthApplication

    app = OAuthApplication.objects.filter(client_id=client_id).only("client_type").first()
    return app is None or app.client_type == OAuthApplication.CLIENT_PUBLIC
