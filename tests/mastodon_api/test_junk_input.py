"""No route answers junk with a server error: every operation in the OpenAPI document gets
malformed bodies and parameters, with and without a token, and must answer below 500
(SECURITY-PLAN Z-1).

NUL and the other characters no column can hold are refused before any route (the input
gate, tests/core/test_input_gate.py), so the junk here leaves them out to reach the routes."""

import re

import pytest

from staffroom.config.api import api
from staffroom.oauth.services import personal_token_create
from tests.factories import make_user

JUNK_BODIES = [
    (b"{not json", "application/json"),
    (b'{"a": [1, {"b": null}], "limit": "x", "subjects": "math"}', "application/json"),
    (b"[]", "application/json"),
    (b"a[0][b]=1&a[b]=2", "application/x-www-form-urlencoded"),
    (b"\xff\xfe", "application/octet-stream"),
]
JUNK_QUERY = "?limit=abc&offset=-5&order=sideways&grade=%7F&q=%22%27%3C&resolve=maybe&acct=@@"
JUNK_IDS = ["0", "-1", "99999999999999999999999", "abc", "%C3%A9"]


def _operations():
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method in operations:
            yield method.upper(), path


@pytest.mark.django_db
def test_junk_input_never_causes_a_server_error(client, settings):
    settings.STAFFROOM_API_RATE_LIMIT = (100_000, 300)  # reach the handlers, not the limiter
    raw = personal_token_create(user=make_user(handle="fuzz"), scopes="read write follow").raw_token
    failures = []
    for method, path in _operations():
        for junk_id in JUNK_IDS:
            concrete = re.sub(r"\{[^}]+\}", junk_id, path) + JUNK_QUERY
            for body, content_type in JUNK_BODIES:
                for headers in ({}, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}):
                    response = client.generic(
                        method, concrete, data=body, content_type=content_type, **headers
                    )
                    if response.status_code >= 500:
                        failures.append((method, concrete, content_type, response.status_code))
            if "{" not in path:
                break  # one pass is enough for routes without an id
    assert failures == []
