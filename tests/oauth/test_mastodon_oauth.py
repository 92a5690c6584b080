"""OAuth as Mastodon (Doorkeeper) runs it: any body, the password grant, userinfo, a stable
issuer, and code replay revoking what the code produced."""

import json
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.test import override_settings

from staffroom.accounts.models import User
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.oauth.test_oauth_flow import authorize, exchange, oob_code, register

SIGN_IN_BACKEND = "staffroom.accounts.backends.EmailOrHandleBackend"


@pytest.fixture
def teacher(db):
    return make_user(handle="ana", email="ana@school.example", display_name="Ana Lopes")


def post_json(client, path, data, **extra):
    return client.post(path, json.dumps(data), content_type="application/json", **extra)


def password_grant(client, app, username, password=DEFAULT_PASSWORD, **extra):
    return client.post(
        "/oauth/token",
        {
            "grant_type": "password",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "username": username,
            "password": password,
            **extra,
        },
    )


def works(client, token) -> bool:
    response = client.get(
        "/api/v1/accounts/verify_credentials", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    return response.status_code == 200


def credentials(app):
    return {"client_id": app["client_id"], "client_secret": app["client_secret"]}


# --- Parameters in a JSON body, a form or the query string -------------------------------


@pytest.mark.django_db
def test_json_body_exchanges_a_code_and_refreshes_the_token(client, teacher):
    app = register(client)
    client.force_login(teacher, backend=SIGN_IN_BACKEND)
    code = oob_code(authorize(client, app))
    client.logout()
    body = {"grant_type": "authorization_code", "code": code, **credentials(app),
            "redirect_uri": "urn:ietf:wg:oauth:2.0:oob"}  # fmt: skip
    response = post_json(client, "/oauth/token", body)
    assert response.status_code == 200, response.content
    first = response.json()
    assert works(client, first["access_token"])
    refreshed = post_json(
        client,
        "/oauth/token",
        {
            "grant_type": "refresh_token",
            "refresh_token": first["refresh_token"],
            **credentials(app),
        },
    )
    assert refreshed.status_code == 200, refreshed.content
    assert works(client, refreshed.json()["access_token"])


@pytest.mark.django_db
def test_json_body_gives_client_credentials_and_password_tokens(client, teacher):
    app = register(client)
    app_token = post_json(
        client, "/oauth/token", {"grant_type": "client_credentials", **credentials(app)}
    )
    assert app_token.status_code == 200, app_token.content
    user_token = post_json(
        client,
        "/oauth/token",
        {"grant_type": "password", "username": "ana", "password": DEFAULT_PASSWORD,
         "scope": "read", **credentials(app)},
    )  # fmt: skip
    assert user_token.status_code == 200, user_token.content
    assert works(client, user_token.json()["access_token"])


@pytest.mark.django_db
def test_query_string_parameters_are_read_as_doorkeeper_does(client, teacher):
    app = register(client)
    query = urlencode({"grant_type": "password", "username": "ana", "password": DEFAULT_PASSWORD,
                       **credentials(app)})  # fmt: skip
    response = client.post(f"/oauth/token?{query}")
    assert response.status_code == 200, response.content
    token = response.json()["access_token"]
    revoke = client.post(f"/oauth/revoke?{urlencode({'token': token, **credentials(app)})}")
    assert revoke.status_code == 200
    assert not works(client, token)


@pytest.mark.django_db
def test_json_revoke_revokes_the_token(client, teacher):
    app = register(client)
    token = password_grant(client, app, "ana").json()["access_token"]
    assert works(client, token)
    response = post_json(client, "/oauth/revoke", {"token": token, **credentials(app)})
    assert response.status_code == 200
    assert response.json() == {}
    assert not works(client, token)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        "[1, 2, 3]",
        '"grant_type"',
        "{not json",
        "[" * 1000 + "]" * 1000,
        '{"grant_type": ' + "[" * 1000 + "]" * 1000 + "}",
        '{"grant_type": {"nested": "object"}}',
        '{"grant_type": "password", "username": ["ana"]}',
        json.dumps({"grant_type": "password", "padding": "x" * 3_000_000}),
        "\xff\xfe",
    ],
)
@pytest.mark.parametrize("path", ["/oauth/token", "/oauth/revoke"])
def test_unreadable_bodies_get_a_clean_oauth_error(client, body, path):
    response = client.post(path, body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"] == "invalid_request"


# --- The password grant --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("login", ["ana@school.example", "ana", "ANA@school.example"])
def test_password_grant_signs_in_with_email_or_handle(client, teacher, login):
    app = register(client)
    response = password_grant(client, app, login, scope="read")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["scope"] == "read"
    assert body["created_at"] > 0
    assert works(client, body["access_token"])


@pytest.mark.django_db
def test_password_grant_refuses_a_wrong_password(client, teacher):
    response = password_grant(client, register(client), "ana", password="not the password")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


@pytest.mark.django_db
def test_password_grant_needs_the_client_secret(client, teacher):
    app = register(client)
    response = password_grant(client, app, "ana", client_secret="wrong")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


@pytest.mark.django_db
def test_password_grant_stays_within_the_apps_scopes(client, teacher):
    app = register(client, scopes="read")
    response = password_grant(client, app, "ana", scope="read write")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "standing",
    [
        {"verified": False},
        {"approval": "pending"},
        {"approval": "rejected"},
        {"is_active": False},  # suspended: sign-in is stopped this way
    ],
)
def test_password_grant_refuses_accounts_the_web_refuses(client, standing):
    is_active = standing.pop("is_active", True)
    user = make_user(handle="bo", **standing)
    User.objects.filter(pk=user.pk).update(is_active=is_active)
    response = password_grant(client, register(client), "bo")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert "access_token" not in response.json()


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3)
def test_password_grant_is_locked_out_as_web_sign_in_is(client, teacher):
    """SECURITY-PLAN R-1."""
    app = register(client)
    for _attempt in range(2):
        assert password_grant(client, app, "ana", password="guess").status_code == 400
    assert password_grant(client, app, "ana", password="guess").status_code == 429
    locked = password_grant(client, app, "ana")
    assert locked.status_code == 429
    assert locked.json()["error"] == "invalid_grant"
    # The web form is locked for the same account and address too.
    page = client.post("/accounts/login/", {"username": "ana", "password": DEFAULT_PASSWORD})
    assert page.status_code != 302


# --- userinfo and the issuer -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_userinfo_answers_mastodons_claims(client, teacher, method):
    app = register(client, scopes="read profile")
    token = password_grant(client, app, "ana", scope="profile").json()["access_token"]
    response = getattr(client, method)("/oauth/userinfo", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "iss": "http://localhost:8000/",
        "sub": "http://localhost:8000/users/ana",
        "name": "Ana Lopes",
        "preferred_username": "ana",
        "profile": "http://localhost:8000/@ana",
        "picture": response.json()["picture"],
    }
    assert response.json()["picture"].startswith("http://localhost:8000/")


@pytest.mark.django_db
def test_userinfo_needs_a_user_token_with_the_profile_scope(client, teacher):
    app = register(client, scopes="read profile")
    read_only = password_grant(client, app, "ana", scope="read").json()["access_token"]
    app_token = client.post(
        "/oauth/token", {"grant_type": "client_credentials", "scope": "profile", **credentials(app)}
    ).json()["access_token"]
    assert client.get("/oauth/userinfo").status_code == 401
    assert client.get("/oauth/userinfo", HTTP_AUTHORIZATION="Bearer nope").status_code == 401
    assert (
        client.get("/oauth/userinfo", HTTP_AUTHORIZATION=f"Bearer {app_token}").status_code == 401
    )
    assert (
        client.get("/oauth/userinfo", HTTP_AUTHORIZATION=f"Bearer {read_only}").status_code == 403
    )


@pytest.mark.django_db
@override_settings(ALLOWED_HOSTS=["*"])
def test_metadata_lists_userinfo_and_the_password_grant_with_a_stable_issuer(client):
    metadata = client.get("/.well-known/oauth-authorization-server", HTTP_HOST="evil.example")
    body = metadata.json()
    assert body["issuer"] == "http://localhost:8000/"
    assert body["userinfo_endpoint"] == "http://localhost:8000/oauth/userinfo"
    assert "password" in body["grant_types_supported"]


@pytest.mark.django_db
@override_settings(ALLOWED_HOSTS=["*"])
@pytest.mark.parametrize("host", ["localhost:8000", "other.example"])
def test_redirect_iss_equals_the_metadata_issuer_whatever_the_host(client, teacher, host):
    issuer = client.get("/.well-known/oauth-authorization-server").json()["issuer"]
    app = register(client, redirect_uris="https://app.example/callback")
    client.force_login(teacher, backend=SIGN_IN_BACKEND)
    client.defaults["HTTP_HOST"] = host
    response = authorize(client, app, redirect_uri="https://app.example/callback")
    assert response.status_code == 302
    assert parse_qs(urlsplit(response["Location"]).query)["iss"] == [issuer]


# --- Code replay -------------------------------------------------------------------------


@pytest.mark.django_db
def test_replaying_a_code_revokes_the_tokens_it_produced(client, teacher):
    """SECURITY-PLAN A-8."""
    app = register(client)
    client.force_login(teacher, backend=SIGN_IN_BACKEND)
    code = oob_code(authorize(client, app))
    client.logout()
    first = exchange(client, app, code).json()
    refreshed = client.post(
        "/oauth/token",
        {
            "grant_type": "refresh_token",
            "refresh_token": first["refresh_token"],
            **credentials(app),
        },
    ).json()
    assert works(client, refreshed["access_token"])
    replay = exchange(client, app, code)
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    assert not works(client, first["access_token"])
    assert not works(client, refreshed["access_token"])  # tokens refreshed from it go too


@pytest.mark.django_db
def test_a_replay_leaves_other_sign_ins_alone(client, teacher):
    app = register(client)
    client.force_login(teacher, backend=SIGN_IN_BACKEND)
    first_code = oob_code(authorize(client, app))
    second_code = oob_code(authorize(client, app))
    client.logout()
    first = exchange(client, app, first_code).json()["access_token"]
    second = exchange(client, app, second_code).json()["access_token"]
    assert exchange(client, app, first_code).status_code == 400
    assert not works(client, first)
    assert works(client, second)
