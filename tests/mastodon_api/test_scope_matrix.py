"""SECURITY-PLAN A-4: every API route that needs a token refuses a missing one (401) and one
without its scope (403). The list of routes comes from the OpenAPI document, so new routes
are covered the day they are added."""

import re

import pytest

from staffroom.config.api import api
from staffroom.oauth.services import personal_token_create
from tests.factories import make_user

# Routes that accept any valid token by design (Mastodon does the same).
ANY_TOKEN = {("GET", "/api/v1/apps/verify_credentials")}
# The routes that need `push` itself are tried with a `read` token instead.
PUSH_PREFIX = "/api/v1/push/"
# The streaming API is served beside Django (not through this test client) and answers a
# token without the scope with 401, as Mastodon's streaming server does:
# tests/streaming/test_transport.py holds it to that.
STREAMING_PREFIX = "/api/v1/streaming"


def _secured_operations():
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if operation.get("security") and not path.startswith(STREAMING_PREFIX):
                yield method.upper(), path


def _call(client, method, path, **headers):
    concrete = re.sub(r"\{[^}]+\}", "1", path)
    return client.generic(method, concrete, data=b"{}", content_type="application/json", **headers)


@pytest.mark.django_db
def test_secured_routes_refuse_missing_tokens_with_401(client):
    operations = list(_secured_operations())
    assert len(operations) >= 8
    failures = [
        (method, path, status)
        for method, path in operations
        if (status := _call(client, method, path).status_code) != 401
    ]
    assert failures == []


@pytest.mark.django_db
def test_secured_routes_refuse_tokens_without_their_scope_with_403(client):
    user = make_user(handle="pusher")
    raw = personal_token_create(user=user, scopes="push").raw_token
    reader = personal_token_create(user=user, scopes="read").raw_token
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    reader_headers = {"HTTP_AUTHORIZATION": f"Bearer {reader}"}
    failures = [
        (method, path, status)
        for method, path in _secured_operations()
        if (method, path) not in ANY_TOKEN
        and (
            status := _call(
                client,
                method,
                path,
                **(reader_headers if path.startswith(PUSH_PREFIX) else headers),
            ).status_code
        )
        != 403
    ]
    assert failures == []
