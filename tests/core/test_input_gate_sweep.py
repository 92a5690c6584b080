"""A NUL anywhere in any request is a 400 from the input gate, never a 500: every operation
of the OpenAPI document gets one in its path, in a query parameter and in each body field
(as JSON and as a form), and so do the main web pages. Run this module on PostgreSQL as
well (DATABASE_URL=postgres://...): that is where a NUL that slips through fails."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from staffroom.oauth.services import personal_token_create
from tests.core.openapi_walk import PATH_PARAMETER, openapi_schema, resolve
from tests.factories import make_profile

pytestmark = pytest.mark.django_db

NUL = "a\x00b"
FORM = "application/x-www-form-urlencoded"
WEB_PAGES = {
    "/accounts/login": ["username", "password"],
    "/accounts/signup": ["email", "handle", "display_name", "password", "invite_code", "reason"],
    "/search": ["q"],
    "/directory": ["q"],
    "/@ada": [],
}


def _body_fields(schema: dict[str, Any], operation: dict[str, Any]) -> list[str]:
    fields: list[str] = []
    for content in operation.get("requestBody", {}).get("content", {}).values():
        body = resolve(schema, content.get("schema", {}))
        fields.extend(name for name in body.get("properties", {}) if name not in fields)
    return fields


def _requests() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(method, url, client keyword arguments), each carrying one NUL."""
    schema = openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            method = method.upper()
            concrete = PATH_PARAMETER.sub("1", path)
            if "{" in path:
                yield method, PATH_PARAMETER.sub(quote(NUL), path, count=1), {}
            else:
                yield method, f"{path}/{quote(NUL)}", {}
            names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            yield method, f"{concrete}?{quote(names[0] if names else 'q')}={quote(NUL)}", {}
            for field in _body_fields(schema, operation):
                yield method, concrete, {"data": {field: NUL}, "content_type": "application/json"}
                form = f"{quote(field)}={quote(NUL)}"
                yield method, concrete, {"data": form, "content_type": FORM}
    for page, fields in WEB_PAGES.items():
        yield "GET", f"{page}{quote(NUL)}", {}
        yield "GET", f"{page}?q={quote(NUL)}", {}
        for field in fields:
            yield "POST", page, {"data": {field: NUL}}  # multipart, as the test client sends


def test_a_nul_anywhere_is_refused_by_the_gate_on_every_route(client: Client, settings: Any):
    settings.STAFFROOM_API_RATE_LIMIT = (100_000, 300)
    ada = make_profile("ada")
    assert ada.user is not None
    raw = personal_token_create(user=ada.user, scopes="read write follow push").raw_token
    client.force_login(ada.user)
    auth: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    answers: dict[tuple[str, str, str], int] = {}
    for method, url, extra in _requests():
        response = client.generic(method, url, **_encoded(extra), **auth)
        answers[(method, url, str(extra.get("data", ""))[:40])] = response.status_code
    assert len(answers) > 500  # the sweep reached the whole API
    assert {key: status for key, status in answers.items() if status != 400} == {}


def _encoded(extra: dict[str, Any]) -> dict[str, Any]:
    """`client.generic` takes bytes: JSON and multipart are encoded as `client.post` would."""
    data = extra.get("data")
    if data is None:
        return {}
    content_type = extra.get("content_type")
    if content_type == "application/json":
        return {"data": json.dumps(data), "content_type": content_type}
    if content_type is not None:
        return {"data": data, "content_type": content_type}
    return {"data": encode_multipart(BOUNDARY, data), "content_type": MULTIPART_CONTENT}
