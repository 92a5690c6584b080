"""The input gate: NUL, lone surrogates, U+FFFE/U+FFFF and bytes that are not UTF-8 are
refused with a 400 naming where they were, wherever in the request they come, before any
view, session or token lookup (PostgreSQL cannot store U+0000: these used to be 500s there)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from staffroom.core.input_gate import forbidden_in
from staffroom.oauth.services import personal_token_create
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _refused_json(response: Any, *words: str) -> None:
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    for word in words:
        assert word in error, error


def test_forbidden_characters_are_nul_surrogates_and_the_two_noncharacters():
    for char in ("\x00", "\ud800", "\udfff", "\ufffe", "\uffff"):
        assert forbidden_in(f"a{char}b") == char
    for fine in ("tab\there", "line\r\n", "\x07bell", "\ufffd", "😀", "\U0010fffd", "é"):
        assert forbidden_in(fine) is None


def test_a_nul_in_a_web_address_is_the_sites_400_page(client):
    response = client.get("/@a%00b")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Bad request" in page
    assert "The address contains a NUL character (U+0000)" in page


def test_a_nul_in_an_api_query_is_mastodons_json_error_naming_the_parameter(client):
    _refused_json(client.get("/api/v1/accounts/lookup", {"acct": "a\x00b"}), "“acct”", "NUL")
    _refused_json(client.get("/api/v1/directory?local=true&q%00=1"), "“q\\u0000”")


@pytest.mark.parametrize("path", ["/api/v1/accounts/search", "/directory", "/oauth/authorize"])
def test_a_query_that_is_not_utf8_is_refused(client, path):
    response = client.get(f"{path}?q=caf%E9")
    assert response.status_code == 400
    assert "is not valid UTF-8" in response.content.decode()


def test_an_encoded_surrogate_or_noncharacter_in_the_query_is_refused(client):
    _refused_json(client.get("/api/v1/accounts/search?q=%ED%A0%80"), "not valid UTF-8")
    _refused_json(client.get("/api/v1/accounts/search?q=%EF%BF%BF"), "U+FFFF")
    _refused_json(client.get("/api/v1/accounts/search?q=%EF%BF%BE"), "U+FFFE")


def test_a_nul_in_a_sign_in_form_is_refused_before_authentication(client):
    response = client.post(
        "/accounts/login",
        "username=ada%00&password=x",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "The form parameter “username” contains a NUL character" in response.content.decode()


def test_a_form_body_that_is_not_utf8_is_refused(client):
    body = b"grant_type=password&username=caf\xe9"
    response = client.post("/oauth/token", body, content_type="application/x-www-form-urlencoded")
    _refused_json(response, "“username”", "not valid UTF-8")


@pytest.mark.parametrize("path", ["/accounts/signup", "/api/v1/apps"])
def test_multipart_text_fields_are_checked_and_file_contents_are_not(client, path):
    _refused_json_or_page(client.post(path, {"reason": "x\x00"}), "“reason”", "NUL")
    # Django drops unprintable characters from file names (the gate checks them anyway).
    for name in ("bad\x00name.png", "fine.bin"):
        upload = SimpleUploadedFile(name, b"\x00\x00 binary contents are never looked at")
        assert client.post(path, {"reason": "fine", "file": upload}).status_code in {200, 422}


def _refused_json_or_page(response: Any, *words: str) -> None:
    assert response.status_code == 400, response.content
    text = response.content.decode()
    for word in words:
        assert word in text or word in json.loads(text).get("error", ""), text


def _post_json(client: Client, path: str, text: str | bytes, **extra: Any) -> Any:
    return client.post(path, text, content_type="application/json", **extra)


@pytest.mark.parametrize(
    ("body", "where", "what"),
    [
        ('{"client_name": "a\\u0000b"}', "“client_name”", "NUL"),
        ('{"client_name": "a", "x": {"y": [1, {"z\\u0000": 2}]}}', "“x.y.1.z\\u0000”", "NUL"),
        ('{"client_name": "a", "x": ["\\ud83d"]}', "“x.0”", "lone surrogate (U+D83D)"),
        ('{"client_name": "a", "x": "\\ude00 tail"}', "“x”", "lone surrogate (U+DE00)"),
        ('{"client_name": "\\uFFFE"}', "“client_name”", "U+FFFE"),
        ('{"client_name": "\uffff"}', "request body", "U+FFFF"),
    ],
)
def test_json_bodies_are_checked_at_every_depth_in_keys_and_values(client, body, where, what):
    _refused_json(_post_json(client, "/api/v1/apps", body), where, what)


def test_json_text_that_only_looks_like_an_escape_passes(client):
    body = (
        '{"client_name": "Emoji \\ud83d\\ude00 and a backslash \\\\u0000",'
        ' "redirect_uris": "urn:ietf:wg:oauth:2.0:oob"}'
    )
    response = _post_json(client, "/api/v1/apps", body)
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Emoji 😀 and a backslash \\u0000"


def test_a_json_body_that_is_not_utf8_is_refused(client):
    _refused_json(
        _post_json(client, "/api/v1/apps", '{"client_name": "x"}'.encode("utf-16")),
        "not valid UTF-8",
    )


def test_deep_json_with_an_escape_keeps_the_nesting_limits_400(client):
    deep = '{"a": ' + "[" * 5000 + '"\\u0000"' + "]" * 5000 + "}"
    _refused_json(_post_json(client, "/api/v1/apps", deep), "nested too deeply")
    # Outside /api (no depth limit of its own) a body too deep to parse is left to the view.
    assert _post_json(client, "/oauth/token", deep).status_code == 400


def test_a_json_body_is_parsed_once_even_when_it_must_be_walked(client, monkeypatch):
    calls: list[object] = []
    real = json.loads

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(json, "loads", counting)
    body = '{"client_name": "Emoji \\ud83d\\ude00", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob"}'
    response = _post_json(client, "/api/v1/apps", body)
    monkeypatch.setattr(json, "loads", real)
    assert response.status_code == 200
    assert len(calls) == 1


def test_oauth_json_bodies_are_checked_too(client):
    response = _post_json(
        client, "/oauth/token", '{"grant_type": "password", "username": "a\\u0000"}'
    )
    _refused_json(response, "“username”", "NUL")


@pytest.mark.parametrize(
    "header",
    [
        "HTTP_AUTHORIZATION",
        "HTTP_COOKIE",
        "HTTP_USER_AGENT",
        "HTTP_X_FORWARDED_FOR",
        "HTTP_IDEMPOTENCY_KEY",
    ],
)
def test_a_nul_in_a_header_is_refused_before_any_token_or_session_lookup(client, header):
    _refused_json(
        client.get("/api/v1/accounts/verify_credentials", **{header: "x\x00y"}), "header", "NUL"
    )


def test_ordinary_requests_pass_the_gate(client):
    user = make_user(handle="ada")
    raw = personal_token_create(user=user, scopes="read write").raw_token
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/accounts/verify_credentials", **auth).status_code == 200
    assert client.get("/search", {"q": "café\ttab 😀"}).status_code == 200
    created = _post_json(client, "/api/v1/statuses", '{"status": "Naïve café \\u00e9 😀"}', **auth)
    assert created.status_code == 200, created.content
    assert created.json()["content"] == "<p>Naïve café é 😀</p>"
