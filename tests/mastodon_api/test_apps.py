import pytest

from staffroom.oauth.models import OAuthApplication
from staffroom.oauth.services import personal_token_create
from tests.factories import make_user


@pytest.mark.django_db
def test_register_app_returns_mastodon_application_with_credentials(client):
    response = client.post(
        "/api/v1/apps",
        {
            "client_name": "Pocket PLN",
            "redirect_uris[]": ["https://app.example/cb", "pocketpln://oauth"],
            "scopes": "read write:statuses",
            "website": "https://app.example",
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["redirect_uris"] == ["https://app.example/cb", "pocketpln://oauth"]
    assert body["scopes"] == ["read", "write:statuses"]
    assert body["client_secret_expires_at"] == 0
    app = OAuthApplication.objects.get()
    assert app.client_secret != body["client_secret"]  # only a hash is kept


@pytest.mark.django_db
@pytest.mark.parametrize(
    "uri",
    [
        "javascript:alert(1)",
        "data:text/html,hi",
        "file:///etc/passwd",
        "http://evil.example/cb",
        "https://app.example/cb#frag",
        "urn:other:thing",
        "https://",
    ],
)
def test_register_app_refuses_dangerous_redirect_uris(client, uri):
    """SECURITY-PLAN A-9."""
    response = client.post("/api/v1/apps", {"client_name": "Bad", "redirect_uris": uri})
    assert response.status_code == 422
    assert response.json()["error"].startswith("Validation failed: Redirect URI")
    assert not OAuthApplication.objects.exists()


@pytest.mark.django_db
def test_register_app_allows_loopback_http_for_native_apps(client):
    response = client.post(
        "/api/v1/apps", {"client_name": "Desk", "redirect_uris": "http://127.0.0.1:7777/cb"}
    )
    assert response.status_code == 200


@pytest.mark.django_db
def test_register_app_refuses_unknown_scopes(client):
    response = client.post("/api/v1/apps", {"client_name": "X", "scopes": "read everything"})
    assert response.status_code == 422
    assert "everything" in response.json()["error"]


@pytest.mark.django_db
def test_app_registration_is_rate_limited_per_address(client, settings):
    """SECURITY-PLAN A-9, R-1."""
    settings.STAFFROOM_RATE_LIMITS = {**settings.STAFFROOM_RATE_LIMITS, "app-registration": (2, 60)}
    for _ in range(2):
        assert client.post("/api/v1/apps", {"client_name": "A"}).status_code == 200
    response = client.post("/api/v1/apps", {"client_name": "A"})
    assert response.status_code == 429
    assert OAuthApplication.objects.count() == 2


@pytest.mark.django_db
def test_redirect_uri_must_match_exactly(client):
    """SECURITY-PLAN A-8, A-10."""
    app = client.post(
        "/api/v1/apps", {"client_name": "A", "redirect_uris": "https://app.example/cb"}
    ).json()
    client.force_login(
        make_user(handle="ana"), backend="staffroom.accounts.backends.EmailOrHandleBackend"
    )
    response = client.get(
        "/oauth/authorize",
        {
            "client_id": app["client_id"],
            "response_type": "code",
            "redirect_uri": "https://app.example/cb/../evil",
            "scope": "read",
        },
    )
    assert response.status_code == 400
    assert "Location" not in response


@pytest.mark.django_db
def test_scope_is_enforced_with_layering(client):
    user = make_user(handle="ana")
    narrow = personal_token_create(user=user, scopes="write:statuses").raw_token
    wide = personal_token_create(user=user, scopes="read").raw_token
    # verify_credentials for apps accepts any valid token; the instance is public.
    assert (
        client.get(
            "/api/v1/apps/verify_credentials", HTTP_AUTHORIZATION=f"Bearer {narrow}"
        ).status_code
        == 200
    )
    assert (
        client.get(
            "/api/v1/apps/verify_credentials", HTTP_AUTHORIZATION=f"Bearer {wide}"
        ).status_code
        == 200
    )
