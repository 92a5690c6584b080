"""OAuth applications as Mastodon registers them (`POST /api/v1/apps`)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from oauth2_provider.models import AbstractApplication

from staffroom.oauth.redirects import OOB_REDIRECT_URI


class OAuthApplication(AbstractApplication):
    """django-oauth-toolkit's application, with what Mastodon apps carry.

    A Mastodon app uses the authorization-code, password and client-credentials grants with
    one registration, so all three are allowed here (never the implicit grant). The password
    grant needs the app's client secret (every app is confidential) and signs in through the
    web form's checks (`oauth.validator`).
    Redirect URIs are checked when the app registers (`redirects.redirect_uri_problem`), so
    each app may redirect to exactly the schemes of its own URIs.
    """

    # The parent class comes from an untyped package, so the field types are spelled out.
    user: models.ForeignKey[Any, Any] = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="oauth_applications",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    website: models.URLField[str, str] = models.URLField(max_length=2000, blank=True)
    scopes: models.CharField[str, str] = models.CharField(max_length=2000, default="read")
    created_by_staffroom: models.BooleanField[bool, bool] = models.BooleanField(
        default=False, help_text="Made by Staffroom itself (the command-line token app)."
    )

    # django-oauth-toolkit's managers, declared for the type checker (its package is untyped).
    objects: ClassVar[models.Manager[OAuthApplication]]
    _default_manager: ClassVar[models.Manager[OAuthApplication]]

    class Meta(AbstractApplication.Meta):
        swappable = "OAUTH2_PROVIDER_APPLICATION_MODEL"

    def allows_grant_type(self, *grant_types: Any) -> bool:
        allowed = {
            self.GRANT_AUTHORIZATION_CODE,
            self.GRANT_PASSWORD,
            self.GRANT_CLIENT_CREDENTIALS,
        }
        return any(grant in allowed for grant in grant_types)

    def get_allowed_schemes(self) -> list[str]:
        uris: list[str] = self.redirect_uri_list()
        schemes = {uri.split(":", 1)[0].lower() for uri in uris if ":" in uri}
        return sorted(schemes | {"https"})

    def redirect_uri_list(self) -> list[str]:
        return [str(uri) for uri in str(self.redirect_uris).split()]

    def uses_out_of_band(self) -> bool:
        return OOB_REDIRECT_URI in self.redirect_uri_list()


class SpentAuthorizationCode(models.Model):
    """An authorization code already exchanged, and what it produced.

    The toolkit deletes a code when it is exchanged, so without this record a replayed code
    is refused but the tokens it produced stay valid. RFC 6749 §4.1.2 and §10.5 ask for those
    tokens to be revoked: a replay means the code leaked. Only a digest of the code is kept.
    """

    code_digest: models.CharField[str, str] = models.CharField(max_length=64, unique=True)
    application: models.ForeignKey[OAuthApplication, OAuthApplication] = models.ForeignKey(
        OAuthApplication, on_delete=models.CASCADE, related_name="+"
    )
    access_token: models.ForeignKey[Any, Any] = models.ForeignKey(
        settings.OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Refresh tokens rotate: the family reaches every token refreshed from the first one.
    token_family: models.UUIDField[Any, Any] = models.UUIDField(null=True)
    created: models.DateTimeField[Any, Any] = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager[SpentAuthorizationCode]]

    class Meta:
        indexes = [models.Index(fields=["created"])]

    def __str__(self) -> str:
        return f"Spent code {self.code_digest[:8]}"
