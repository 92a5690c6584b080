"""The OAuth code flow as a Mastodon app performs it, through the test client."""

import base64
import hashlib
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from staffroom.oauth.models import OAuthApplication
from tests.factories import make_user

OOB = "urn:ietf:wg:oauth:2.0:oob"


def register(client, **extra):
    data = {"client_name": "Pocket PLN", "redirect_uris": OOB, "scopes": "read write", **extra}
    response = client.post("/api/v1/apps", data)
    assert response.status_code == 200, response.content
    return response.json()


def authorize(client, app, *, scope="read write", redirect_uri=OOB, **extra):
    params = {
        "client_id": app["client_id"],
        "response_type": "code",
        "redirect_uri": redirect_uri,
        "scope": scope,
        **extra,
    }
    page = client.get("/oauth/authorize", params)
    assert page.status_code == 200, page.content
    form = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page.content.decode()))
    form.pop("csrfmiddlewaretoken", None)
    return client.post("/oauth/authorize", {**form, "allow": "Authorize"})


def oob_code(response) -> str:
    match = re.search(r'id="oob-code"[^>]*value="([^"]+)"', response.content.decode())
    assert match, response.content.decode()[:2000]
    return match.group(1)


def exchange(client, app, code, redirect_uri=OOB, **extra):
    return client.post(
        "/oauth/token",
        {
            "grant_type": "authorization_code",
            "code": code,
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "redirect_uri": redirect_uri,
            **extra,
        },
    )


@pytest.fixture
def teacher(db):
    return make_user(handle="ana")


@pytest.mark.django_db
def test_code_flow_with_out_of_band_redirect_gives_a_working_token(client, teacher):
    """SECURITY-PLAN A-8."""
    app = register(client)
    client.force_login(teacher, backend="staffroom.accounts.backends.EmailOrHandleBackend")
    code = oob_code(authorize(client, app))
    token = exchange(client, app, code)
    assert token.status_code == 200, token.content
    body = token.json()
    assert body["token_type"] == "Bearer"
    assert set(body["scope"].split()) == {"read", "write"}
    assert body["created_at"] > 0
    client.logout()
    response = client.get(
        "/api/v1/apps/verify_credentials", HTTP_AUTHORIZATION=f"Bearer {body['access_token']}"
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Pocket PLN"
    assert "client_secret" not in response.json()


@pytest.mark.django_db
def test_authorization_code_works_only_once(client, teacher):
    """SECURITY-PLAN A-8."""
    app = register(client)
    client.force_login(teacher, backend="staffroom.accounts.backends.EmailOrHandleBackend")
    code = oob_code(authorize(client, app))
    assert exchange(client, app, code).status_code == 200
    again = exchange(client, app, code)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


@pytest.mark.django_db
def test_https_redirect_receives_code_and_iss(client, teacher):
    app = register(client, redirect_uris="https://app.example/callback")
    client.force_login(teacher, backend="staffroom.accounts.backends.EmailOrHandleBackend")
    response = authorize(client, app, redirect_uri="https://app.example/callback", state="xyz")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.netloc == "app.example"
    query = parse_qs(location.query)
    assert query["state"] == ["xyz"]
    assert query["code"][0]


@pytest.mark.django_db
def test_pkce_s256_is_accepted_and_checked(client, teacher):
    """SECURITY-PLAN A-8."""
    app = register(client)
    verifier = "v" * 64
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    client.force_login(teacher, backend="staffroom.accounts.backends.EmailOrHandleBackend")
    code = oob_code(authorize(client, app, code_challenge=challenge, code_challenge_method="S256"))
    wrong = exchange(client, app, code, code_verifier="w" * 64)
    assert wrong.status_code == 400
    code = oob_code(authorize(client, app, code_challenge=challenge, code_challenge_method="S256"))
    assert exchange(client, app, code, code_verifier=verifier).status_code == 200


@pytest.mark.django_db
def test_public_client_must_use_pkce(client, teacher):
    """SECURITY-PLAN A-8."""
    app = register(client)
    OAuthApplication.objects.filter(client_id=app["client_id"]).update(client_type="public")
    client.force_login(teacher, backend="staffroom.accounts.backends.EmailOrHandleBackend")
    page = client.get(
        "/oauth/authorize",
        {"client_id": app["client_id"], "response_type": "code", "redirect_uri": OOB,
         "scope": "read"},
    )  # fmt: skip
    assert "Code challenge required" in page.content.decode()
    assert 'id="oob-code"' not in page.content.decode()


@pytest.mark.django_db
def test_revoke_endpoint_answers_empty_json_and_the_token_stops_working(client, teacher):
    """SECURITY-PLAN A-6."""
    app = register(client)
    client.force_login(teacher, backend="staffroom.accounts.backends.EmailOrHandleBackend")
    token = exchange(client, app, oob_code(authorize(client, app))).json()["access_token"]
    client.logout()
    response = client.post(
        "/oauth/revoke",
        {"client_id": app["client_id"], "client_secret": app["client_secret"], "token": token},
    )
    assert response.status_code == 200
    assert response.json() == {}
    assert (
        client.get(
            "/api/v1/apps/verify_credentials", HTTP_AUTHORIZATION=f"Bearer {token}"
        ).status_code
        == 401
    )


@pytest.mark.django_db
def test_client_credentials_give_an_app_token_without_a_user(client):
    app = register(client)
    response = client.post(
        "/oauth/token",
        {
            "grant_type": "client_credentials",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "scope": "read",
        },
    )
    assert response.status_code == 200, response.content
    token = response.json()["access_token"]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v1/apps/verify_credentials", **headers).json()["name"] == "Pocket PLN"
    assert client.get("/api/v1/accounts/verify_credentials", **headers).status_code == 401


@pytest.mark.django_db
def test_refresh_token_rotates_and_a_replayed_one_revokes_the_family(client, teacher):
    """SECURITY-PLAN A-8."""
    app = register(client)
    client.force_login(teacher, backend="staffroom.accounts.backends.EmailOrHandleBackend")
    first = exchange(client, app, oob_code(authorize(client, app))).json()
    client.logout()
    refresh = {
        "grant_type": "refresh_token",
        "refresh_token": first["refresh_token"],
        "client_id": app["client_id"],
        "client_secret": app["client_secret"],
    }
    second = client.post("/oauth/token", refresh)
    assert second.status_code == 200
    new_token = second.json()["access_token"]
    assert new_token != first["access_token"]
    replay = client.post("/oauth/token", refresh)
    assert replay.status_code == 400
    response = client.get(
        "/api/v1/apps/verify_credentials", HTTP_AUTHORIZATION=f"Bearer {new_token}"
    )
    assert response.status_code == 401  # the whole family is revoked


@pytest.mark.django_db
@pytest.mark.parametrize("grant", ["implicit", "urn:ietf:params:oauth:grant-type:device_code"])
def test_other_grants_are_refused(client, grant):
    """SECURITY-PLAN A-8."""
    app = register(client)
    response = client.post(
        "/oauth/token",
        {"grant_type": grant, "client_id": app["client_id"], "client_secret": app["client_secret"],
         "username": "x", "password": "y"},
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


@pytest.mark.django_db
def test_pkce_plain_method_is_refused(client, teacher):
    """SECURITY-PLAN A-8."""
    app = register(client)
    client.force_login(teacher, backend="staffroom.accounts.backends.EmailOrHandleBackend")
    page = client.get(
        "/oauth/authorize",
        {"client_id": app["client_id"], "response_type": "code", "redirect_uri": OOB,
         "scope": "read", "code_challenge": "x" * 50, "code_challenge_method": "plain"},
    )  # fmt: skip
    assert 'id="oob-code"' not in page.content.decode()
