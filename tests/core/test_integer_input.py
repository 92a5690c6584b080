"""Whole numbers in API input stay within what the database holds: out-of-range, negative
or malformed numbers in a query, a path or a body answer 4xx with a message (or are
clamped), never 500. Run on PostgreSQL too (DATABASE_URL=postgres://...): SQLite accepts
numbers past 64 bits where PostgreSQL's bigint fails."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import transaction
from django.test import Client

from staffroom.core.api.numbers import INT64_MAX, INT64_MIN
from staffroom.oauth.models import OAuthApplication
from staffroom.oauth.services import personal_token_create
from tests.core.openapi_walk import PATH_PARAMETER, openapi_schema, resolve
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = [str(10**20), str(-(10**20)), "1e3"]
SCOPES = "read write follow push admin:read admin:write"


def _integers(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The integer schemas in a parameter's schema (through `anyOf` and arrays)."""
    if node.get("type") == "integer":
        yield node
    for alternative in node.get("anyOf", []):
        yield from _integers(alternative)
    if "items" in node:
        yield from _integers(node["items"])


def _admin_bearer() -> dict[str, str]:
    """An administrator's token with every scope (admin routes are swept too)."""
    user = make_staff("sweeper", "admin")
    app = OAuthApplication.objects.create(
        name="Sweep",
        redirect_uris="urn:ietf:wg:oauth:2.0:oob",
        scopes=SCOPES,
        client_type=OAuthApplication.CLIENT_CONFIDENTIAL,
        authorization_grant_type=OAuthApplication.GRANT_AUTHORIZATION_CODE,
    )
    raw = personal_token_create(user=user, scopes=SCOPES, application=app).raw_token
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _status(client: Client, method: str, url: str, **extra: Any) -> int:
    """The answer's status; whatever the request did is rolled back (on PostgreSQL a failed
    statement would otherwise spoil every request after it)."""
    savepoint = transaction.savepoint()
    try:
        return client.generic(method, url, **extra).status_code
    finally:
        transaction.savepoint_rollback(savepoint)


def test_every_integer_parameter_declares_a_64_bit_range():
    unbounded = []
    for path, operations in openapi_schema()["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                for node in _integers(parameter.get("schema", {})):
                    bounds = node.get("x-clamped", node)  # read as the nearest in range
                    low, high = bounds.get("minimum"), bounds.get("maximum")
                    if low is None or high is None or low < INT64_MIN or high > INT64_MAX:
                        unbounded.append(f"{method.upper()} {path} {parameter['name']}")
    assert unbounded == []


def _get_requests() -> Iterator[str]:
    for path, operations in openapi_schema()["paths"].items():
        operation = operations.get("get")
        if operation is None or not path.startswith("/api/"):
            continue
        concrete = PATH_PARAMETER.sub("1", path)
        for match in PATH_PARAMETER.finditer(path):
            for value in OUT_OF_RANGE:
                yield path[: match.start()] + value + PATH_PARAMETER.sub("1", path[match.end() :])
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query" and any(_integers(parameter.get("schema", {}))):
                for value in OUT_OF_RANGE:
                    yield f"{concrete}?{parameter['name']}={value}"


def test_out_of_range_numbers_in_any_get_route_are_never_a_server_error(client, settings):
    settings.STAFFROOM_API_RATE_LIMIT = (100_000, 300)
    bearer = _admin_bearer()
    answers = {url: _status(client, "GET", url, **bearer) for url in _get_requests()}
    assert len(answers) > 200  # the sweep reached the whole API
    assert {url: status for url, status in answers.items() if status >= 500} == {}


def _body_integer_fields(schema: dict[str, Any], operation: dict[str, Any]) -> list[str]:
    fields: list[str] = []
    for content in operation.get("requestBody", {}).get("content", {}).values():
        body = resolve(schema, content.get("schema", {}))
        for name, field in body.get("properties", {}).items():
            if any(_integers(field)) and name not in fields:
                fields.append(name)
    return fields


def test_out_of_range_numbers_in_any_body_are_never_a_server_error(client, settings):
    settings.STAFFROOM_API_RATE_LIMIT = (100_000, 300)
    bearer = _admin_bearer()
    schema = openapi_schema()
    answers: dict[tuple[str, str, str, int], int] = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for field in _body_integer_fields(schema, operation):
                for value in (10**20, -(10**20), 2**62):
                    body = json.dumps({field: value, "title": "t", "status": "s", "name": "n"})
                    url = PATH_PARAMETER.sub("1", path)
                    status = _status(
                        client, method.upper(), url, data=body,
                        content_type="application/json", **bearer,
                    )  # fmt: skip
                    answers[(method, path, field, value)] = status
    assert len(answers) > 30
    assert {key: status for key, status in answers.items() if status >= 500} == {}


def test_a_huge_starter_pack_offset_is_the_last_page_not_an_error(client):
    response = client.get("/api/v1/pln/starter_packs", {"offset": "99999999999999999999"})
    assert (response.status_code, response.json()) == (200, [])
    for junk in ("-5", "1e3"):  # a negative offset is refused here, as before
        refused = client.get("/api/v1/pln/starter_packs", {"offset": junk})
        assert refused.status_code == 422
        assert "offset" in refused.json()["error"]


def test_an_id_beyond_64_bits_in_a_body_is_a_clear_422(client):
    bearer = _admin_bearer()
    response = client.post(
        "/api/v1/pln/admin/rules",
        json.dumps({"text": "Be kind", "position": 10**20}),
        content_type="application/json",
        **bearer,
    )
    assert response.status_code == 422
    assert "position" in response.json()["error"]


# Digits `str.isdigit()` accepts but `int()` refuses (superscript two, circled one), and a
# decimal digit from another script that `int()` reads (Arabic-Indic three).
UNICODE_DIGITS = ["\u00b2", "\u2460", "\u0663"]


def test_unicode_digits_as_a_path_id_in_any_operation_are_never_a_server_error(client, settings):
    settings.STAFFROOM_API_RATE_LIMIT = (100_000, 300)
    bearer = _admin_bearer()
    answers: dict[tuple[str, str], int] = {}
    for path, operations in openapi_schema()["paths"].items():
        if not PATH_PARAMETER.search(path):
            continue
        for method in operations:
            for digit in UNICODE_DIGITS:
                url = PATH_PARAMETER.sub(quote(digit), path)
                answers[(method, url)] = _status(
                    client, method.upper(), url, data="{}",
                    content_type="application/json", **bearer,
                )  # fmt: skip
    assert len(answers) > 100
    assert {key: status for key, status in answers.items() if status >= 500} == {}


def test_only_the_id_module_reads_digits_with_str_isdigit():
    """`str.isdigit()` says yes to "²", which `int()` refuses: the code asks
    `core.ids.ascii_digits` instead, so no check lets such text reach `int()`."""
    package = Path(__file__).resolve().parents[2] / "staffroom"
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if ".isdigit()" in path.read_text(encoding="utf-8") and path.name != "ids.py"
    ]
    assert offenders == []
