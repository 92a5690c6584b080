"""The OAuth 2 endpoints as Mastodon apps use them, on django-oauth-toolkit's views."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from oauth2_provider import views as oauth_views

from staffroom.core.api.auth import access_token_for
from staffroom.core.api.errors import INVALID_TOKEN
from staffroom.core.api.scopes import ALL_SCOPES, parse_scopes, scopes_allow
from staffroom.oauth.issuer import oauth_issuer
from staffroom.oauth.parameters import BadOAuthParameters, oauth_parameters
from staffroom.oauth.redirects import OOB_REDIRECT_URI
from staffroom.oauth.userinfo import userinfo_claims
from staffroom.profiles.uris import instance_base_url


class AuthorizeView(oauth_views.AuthorizationView):
    """The consent page, behind sign-in. The out-of-band redirect shows the code on a page."""

    template_name = "oauth/authorize.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        form = context.get("form")
        scopes = parse_scopes(form["scope"].value() if form is not None else "")
        context["requested_scopes"] = [(scope, ALL_SCOPES.get(scope, scope)) for scope in scopes]
        redirect_uri = form["redirect_uri"].value() if form is not None else ""
        context["redirect_host"] = (
            "" if redirect_uri == OOB_REDIRECT_URI else urlsplit(str(redirect_uri)).netloc
        )
        return context

    def redirect(self, redirect_to: str, application: Any) -> HttpResponse:
        if redirect_to.startswith(OOB_REDIRECT_URI):
            query = parse_qs(urlsplit(redirect_to).query)
            context = {
                "code": (query.get("code") or [""])[0],
                "error": (query.get("error") or [""])[0],
                "error_description": (query.get("error_description") or [""])[0],
                "application": application,
            }
            return render(self.request, "oauth/oob_code.html", context)
        return super().redirect(redirect_to, application)  # type: ignore[no-any-return]


GRANT_TYPES = ("authorization_code", "password", "client_credentials", "refresh_token")


def _with_parameters_as_form(request: HttpRequest) -> JsonResponse | None:
    """Fold a JSON, form or query-string request into the form the toolkit reads.

    Answers the 400 itself when the body cannot be read (never a 500). The query string is
    emptied once folded in: oauthlib refuses query parameters on a POST to these endpoints.
    """
    try:
        parameters = oauth_parameters(request)
    except BadOAuthParameters as error:
        return JsonResponse(
            {"error": "invalid_request", "error_description": error.description}, status=400
        )
    request.POST = parameters  # type: ignore[assignment]
    request.META["QUERY_STRING"] = ""
    return None


class TokenView(oauth_views.TokenView):
    """`POST /oauth/token`; adds Mastodon's `created_at` to a successful answer.

    Grants other than the four Mastodon offers are refused before django-oauth-toolkit
    sees them, so the device grant (which the library would try to run) cannot fail with a
    server error.
    """

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refused = _with_parameters_as_form(request)
        if refused is not None:
            return refused
        if request.POST.get("grant_type") not in GRANT_TYPES:
            return JsonResponse(
                {
                    "error": "unsupported_grant_type",
                    "error_description": "Use " + ", ".join(GRANT_TYPES) + ".",
                },
                status=400,
            )
        response: HttpResponse = super().post(request, *args, **kwargs)
        if response.status_code == 200:
            body = json.loads(response.content)
            body.setdefault("created_at", int(time.time()))
            response.content = json.dumps(body).encode()
        return response


class RevokeView(oauth_views.RevokeTokenView):
    """`POST /oauth/revoke` (client credentials plus the token); `{}` on success, as Mastodon."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refused = _with_parameters_as_form(request)
        if refused is not None:
            return refused
        response: HttpResponse = super().post(request, *args, **kwargs)
        if response.status_code == 200 and not response.content:
            return JsonResponse({})
        return response


@never_cache
@require_GET
def authorization_server_metadata(request: HttpRequest) -> JsonResponse:
    """RFC 8414 metadata, as Mastodon serves it at /.well-known/oauth-authorization-server."""
    base = instance_base_url()
    return JsonResponse(
        {
            "issuer": oauth_issuer(),
            "service_documentation": f"{base}/api/docs",
            "authorization_endpoint": f"{base}/oauth/authorize",
            "token_endpoint": f"{base}/oauth/token",
            "revocation_endpoint": f"{base}/oauth/revoke",
            "userinfo_endpoint": f"{base}/oauth/userinfo",
            "app_registration_endpoint": f"{base}/api/v1/apps",
            "scopes_supported": list(ALL_SCOPES),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query", "fragment", "form_post"],
            "grant_types_supported": list(GRANT_TYPES),
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "authorization_response_iss_parameter_supported": True,
        }
    )


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def userinfo(request: HttpRequest) -> JsonResponse:
    """`GET`/`POST /oauth/userinfo`: the signed-in account's claims, for a token holding the
    `profile` scope, as Mastodon's `Oauth::UserinfoController` (401 without a valid user
    token, 403 without the scope). Only the bearer header counts, never a session cookie,
    so the POST needs no CSRF token."""
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    token = access_token_for(raw.strip()) if scheme.lower() == "bearer" else None
    if token is None or token.user is None:
        return JsonResponse({"error": INVALID_TOKEN}, status=401)
    if not scopes_allow(parse_scopes(token.scope), "profile"):
        return JsonResponse({"error": "This action is outside the authorized scopes"}, status=403)
    return JsonResponse(userinfo_claims(token.user))
