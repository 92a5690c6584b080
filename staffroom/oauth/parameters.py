"""The parameters of a token or revocation request, however the client sends them.

Mastodon (Doorkeeper) reads `/oauth/token` and `/oauth/revoke` parameters from a form body,
a JSON body (masto.js sends JSON) or the query string. django-oauth-toolkit reads the form
body only, so the views fold all three into one form before the toolkit sees the request.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import HttpRequest, QueryDict

from staffroom.core.api.input import request_data


class BadOAuthParameters(Exception):
    """The request body cannot be read as OAuth parameters (a 400 `invalid_request`)."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


def oauth_parameters(request: HttpRequest) -> QueryDict:
    """Body (form or JSON) over query string, as one form of plain strings.

    Raises BadOAuthParameters for malformed JSON, a body that is not a JSON object, an
    oversized body, or a parameter that is not a string or number (OAuth parameters are
    all flat strings, so nesting is refused rather than guessed at).
    """
    try:
        data = request_data(request)
    except (BadRequest, SuspiciousOperation) as error:
        raise BadOAuthParameters(str(error) or "The request body cannot be read.") from error
    form = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise BadOAuthParameters(f"The parameter {key[:40]} must be a string.")
        form[key] = str(value)
    form._mutable = False  # the toolkit expects a read-only form, as request.POST is
    return form
