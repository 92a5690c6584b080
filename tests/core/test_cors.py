"""CORS as Mastodon sets it: the API and discovery documents for any origin, web pages never."""

import pytest
from django.test import Client

ORIGIN = "https://elk.example"
EXPOSED = {
    "link",
    "x-ratelimit-reset",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-request-id",
}


def _preflight(client: Client, path: str, method: str):
    return client.options(
        path,
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type, idempotency-key",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
def test_api_preflight_is_answered_for_every_method(client, method):
    response = _preflight(client, "/api/v1/statuses", method)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert method in response["Access-Control-Allow-Methods"]
    allowed = response["Access-Control-Allow-Headers"]
    assert "authorization" in allowed
    assert "idempotency-key" in allowed
    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.django_db
def test_api_answers_expose_mastodons_headers_and_never_allow_credentials(client):
    response = client.get("/api/v1/timelines/public", HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    exposed = {
        name.strip().lower() for name in response["Access-Control-Expose-Headers"].split(",")
    }
    assert exposed == EXPOSED
    assert "Access-Control-Allow-Credentials" not in response
    # The request limits still run behind CORS: the answer carries them.
    assert "X-RateLimit-Limit" in response


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/oauth/token",
        "/oauth/revoke",
        "/oauth/userinfo",
        "/.well-known/oauth-authorization-server",
        "/.well-known/nodeinfo",
        "/nodeinfo/2.0",
    ],
)
def test_token_endpoints_and_discovery_documents_allow_any_origin(client, path):
    response = _preflight(client, path, "POST" if path.startswith("/oauth/") else "GET")
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/accounts/login", "/oauth/authorize", "/settings/profile", "/@ada"]
)
def test_web_pages_and_forms_get_no_cors_headers(client, path):
    assert "Access-Control-Allow-Origin" not in client.get(path, HTTP_ORIGIN=ORIGIN)
    assert "Access-Control-Allow-Origin" not in _preflight(client, path, "POST")


@pytest.mark.django_db
def test_cross_site_form_posts_still_need_the_csrf_token(user):
    """SECURITY-PLAN A-3."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post("/accounts/logout", HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.django_db
def test_rate_limited_api_answers_carry_cors_headers(client, settings):
    settings.STAFFROOM_API_RATE_LIMIT = (1, 300)
    client.get("/api/v1/timelines/public", HTTP_ORIGIN=ORIGIN)
    response = client.get("/api/v1/timelines/public", HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 429
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.django_db
def test_oversized_api_bodies_are_refused_before_reading_with_cors_headers(client, settings):
    settings.STAFFROOM_MAX_REQUEST_BYTES = 100
    response = client.post(
        "/api/v1/statuses",
        data=b"x" * 500,
        content_type="application/json",
        HTTP_ORIGIN=ORIGIN,
    )
    assert response.status_code == 413
    assert response["Access-Control-Allow-Origin"] == "*"
