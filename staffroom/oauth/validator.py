"""django-oauth-toolkit's request validator, with Staffroom's sign-in rules and code replay.

Named in settings (`OAUTH2_PROVIDER["OAUTH2_VALIDATOR_CLASS"]`).
"""

from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator
from oauthlib.oauth2.rfc6749 import errors

from staffroom.accounts.forms import SignInForm
from staffroom.accounts.throttling import (
    retry_after_seconds,
    sign_in_paused,
    sign_in_paused_message,
    sign_in_succeeded,
)
from staffroom.oauth.code_replay import authorization_code_replayed, authorization_code_spent


class SignInPausedError(errors.OAuth2Error):
    """Too many failed sign-ins for the account or from the address: Mastodon's 429 for a
    throttled request, in the OAuth error shape the token endpoint answers with."""

    error = "invalid_grant"
    status_code = 429

    def __init__(self, *, request: Any, retry_after: int) -> None:
        super().__init__(description=sign_in_paused_message(), request=request)
        self.retry_after = retry_after

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class StaffroomOAuth2Validator(OAuth2Validator):
    def validate_user(
        self, username: str, password: str, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        """The password grant signs in exactly as the web form does: e-mail or handle,
        the same lockout per account and per client address (`accounts.throttling`), and
        unverified, unapproved, rejected or suspended accounts refused. A refusal is
        Mastodon's `invalid_grant` with the form's reason; a lock answers it with 429 and
        Retry-After, as Mastodon answers a throttled client.

        Mastodon refuses this grant to accounts with two-factor sign-in; Staffroom has no
        second factor yet, so there is nothing to check here until it does.
        """
        http_request = self.build_http_request(request)
        form = SignInForm(http_request, data={"username": username, "password": password})
        if not form.is_valid():
            if sign_in_paused(http_request):
                raise SignInPausedError(request=request, retry_after=retry_after_seconds())
            reason = " ".join(str(message) for message in form.non_field_errors())
            raise errors.InvalidGrantError(
                description=reason or "Invalid credentials given.", request=request
            )
        request.user = form.get_user()
        sign_in_succeeded(request.user)
        return True

    def validate_code(
        self, client_id: str, code: str, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        """A code that does not validate is refused; one that was already exchanged also
        takes the tokens it produced with it (RFC 6749 §4.1.2: it may have leaked)."""
        if super().validate_code(client_id, code, client, request, *args, **kwargs):
            return True
        authorization_code_replayed(code=code, application=client)
        return False

    def save_bearer_token(
        self, token: dict[str, Any], request: Any, *args: Any, **kwargs: Any
    ) -> None:
        super().save_bearer_token(token, request, *args, **kwargs)
        if request.grant_type == "authorization_code" and request.code:
            authorization_code_spent(
                code=request.code,
                application=request.client,
                raw_access_token=token["access_token"],
            )
