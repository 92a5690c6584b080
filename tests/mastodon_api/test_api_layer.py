"""The API layer's promises: Mastodon error bodies, trailing slashes, docs, rate limits."""

import json

import pytest
from django.test import RequestFactory

from staffroom.config.api import api
from staffroom.oauth.services import personal_token_create
from tests.factories import make_user


@pytest.fixture
def token(db):
    return personal_token_create(user=make_user(handle="ana"), scopes="read").raw_token


@pytest.mark.django_db
def test_missing_token_is_401_with_mastodon_error_body(client):
    response = client.get("/api/v1/apps/verify_credentials")
    assert response.status_code == 401
    assert response.json() == {"error": "The access token is invalid"}
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["Bearer nope", "Bearer " + "x" * 400, "Basic abc", "Bearer"])
def test_malformed_or_unknown_tokens_are_401(client, header):
    response = client.get("/api/v1/apps/verify_credentials", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert "error" in response.json()


@pytest.mark.django_db
def test_revoked_token_is_401(client):
    """SECURITY-PLAN A-6."""
    issued = personal_token_create(user=make_user(handle="bo"), scopes="read")
    issued.access_token.revoke()
    response = client.get(
        "/api/v1/apps/verify_credentials", HTTP_AUTHORIZATION=f"Bearer {issued.raw_token}"
    )
    assert response.status_code == 401


@pytest.mark.django_db
def test_token_of_a_deactivated_user_is_401(client):
    """SECURITY-PLAN A-5."""
    user = make_user(handle="gone")
    raw = personal_token_create(user=user, scopes="read").raw_token
    user.is_active = False
    user.save()
    response = client.get("/api/v1/apps/verify_credentials", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401


@pytest.mark.django_db
def test_unknown_api_path_is_404_json(client):
    response = client.get("/api/v1/no_such_thing")
    assert response.status_code == 404
    assert "error" in response.json()


@pytest.mark.django_db
def test_wrong_method_is_405_json(client):
    response = client.delete("/api/v1/instance")
    assert response.status_code == 405
    assert response.json() == {"error": "Method Not Allowed"}


@pytest.mark.django_db
def test_trailing_slash_is_accepted_under_api_oauth_and_well_known(client):
    assert client.get("/api/v1/instance/").status_code == 200
    assert client.get("/api/v2/instance/").status_code == 200
    assert client.get("/.well-known/oauth-authorization-server/").status_code == 200


@pytest.mark.django_db
def test_malformed_json_is_400_json(client):
    response = client.post("/api/v1/apps", data=b"{oops", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"error": "The request body is not valid JSON."}


@pytest.mark.django_db
def test_validation_error_is_422_with_mastodon_message_and_details(client):
    response = client.post("/api/v1/apps", {"redirect_uris": "urn:ietf:wg:oauth:2.0:oob"})
    assert response.status_code == 422
    body = response.json()
    assert body["error"].startswith("Validation failed: client_name")
    assert "client_name" in body["details"]


@pytest.mark.django_db
def test_form_with_ten_thousand_fields_is_400_not_500(client):
    body = "&".join(f"f{i}=x" for i in range(10_000))
    response = client.post(
        "/api/v1/apps", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "error" in response.json()


@pytest.mark.django_db
def test_query_string_on_an_empty_post_is_read(client):
    response = client.post("/api/v1/apps?client_name=FromQuery&scopes=read")
    assert response.status_code == 200
    assert response.json()["name"] == "FromQuery"


def test_unexpected_error_becomes_a_500_json_without_a_traceback():
    request = RequestFactory().get("/api/v1/instance")
    response = api.on_exception(request, RuntimeError("secret internals"))
    assert response.status_code == 500
    body = json.loads(response.content)
    assert "secret internals" not in body["error"]
    assert body["error"].startswith("Something went wrong")


@pytest.mark.django_db
def test_api_responses_carry_rate_limit_headers_and_429_past_the_limit(client, settings):
    """SECURITY-PLAN R-1."""
    settings.STAFFROOM_API_RATE_LIMIT = (3, 300)
    for expected_remaining in ("2", "1", "0"):
        response = client.get("/api/v1/instance")
        assert response["X-RateLimit-Limit"] == "3"
        assert response["X-RateLimit-Remaining"] == expected_remaining
    response = client.get("/api/v1/instance")
    assert response.status_code == 429
    assert response.json() == {"error": "Too many requests"}
    assert int(response["Retry-After"]) > 0


@pytest.mark.django_db
def test_openapi_document_lists_routes_with_schemas(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert "/api/v1/apps" in document["paths"]
    assert "/api/v2/instance" in document["paths"]
    assert "InstanceV2" in document["components"]["schemas"]


@pytest.mark.django_db
def test_api_docs_page_loads_its_assets_locally(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "cdn" not in page.lower()
    assert "/static/ninja/" in page


@pytest.mark.django_db
def test_cookie_session_does_not_authenticate_api_requests(client):
    """SECURITY-PLAN A-3."""
    client.force_login(
        make_user(handle="cookie"), backend="staffroom.accounts.backends.EmailOrHandleBackend"
    )
    assert client.get("/api/v1/apps/verify_credentials").status_code == 401


def test_django_permission_denied_is_a_403_json_error():
    from django.core.exceptions import PermissionDenied

    request = RequestFactory().get("/api/v1/pln/profile")
    response = api.on_exception(request, PermissionDenied("Sign in first."))
    assert response.status_code == 403
    assert json.loads(response.content) == {"error": "Sign in first."}
