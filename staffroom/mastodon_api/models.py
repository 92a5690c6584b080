"""OAuth applications as Mastodon registers them (`POST /api/v1/apps`)."""

from __future__ import annotations

from typing import Any

from django.db import models
from oauth2_provider.models import AbstractApplication

from staffroom.mastodon_api.redirects import OOB_REDIRECT_URI


class OAuthApplication(AbstractApplication):
    """django-oauth-toolkit's application, with what Mastodon apps carry.

    A Mastodon app uses the authorization-code grant and client credentials with one
    registration, so both are allowed here (never the password or implicit grants).
    Redirect URIs are checked when the app registers (`redirects.redirect_uri_problem`), so
    each app may redirect to exactly the schemes of its own URIs.
    """

    website = models.URLField(max_length=2000, blank=True)
    scopes = models.CharField(max_length=2000, default="read")
    created_by_staffroom = models.BooleanField(
        default=False, help_text="Made by Staffroom itself (the command-line token app)."
    )

    class Meta(AbstractApplication.Meta):
        swappable = "OAUTH2_PROVIDER_APPLICATION_MODEL"

    def allows_grant_type(self, *grant_types: Any) -> bool:
        allowed = {self.GRANT_AUTHORIZATION_CODE, self.GRANT_CLIENT_CREDENTIALS}
        return any(grant in allowed for grant in grant_types)

    def get_allowed_schemes(self) -> list[str]:
        schemes = {uri.split(":", 1)[0].lower() for uri in self.redirect_uris.split() if ":" in uri}
        return sorted(schemes | {"https"})

    def redirect_uri_list(self) -> list[str]:
        return self.redirect_uris.split()

    def uses_out_of_band(self) -> bool:
        return OOB_REDIRECT_URI in self.redirect_uri_list()
