"""The OpenAPI document states every answer a route can give, not only its success."""

from __future__ import annotations

from typing import Any

import pytest

from staffroom.config.api import api
from staffroom.core.api.ids import QUERY_IDS_MAX
from staffroom.recommendations.selectors import LIMIT_MAX
from tests.graph.test_api_helpers import bearer


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return api.get_openapi_schema()


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        if not path.startswith("/api/v1/streaming")
        for method, operation in item.items()
    ]


def test_every_operation_documents_its_error_answers_with_the_error_body(document):
    missing: list[tuple[str, str, str]] = []
    for method, path, operation in _operations(document):
        responses = operation["responses"]
        expected = {"400", "429"}
        if operation.get("security"):
            expected |= {"401", "403"}
        if operation.get("parameters") or "requestBody" in operation:
            expected.add("422")
        if "requestBody" in operation:
            expected |= {"404", "413"}
        if any(p["in"] == "path" for p in operation.get("parameters", [])):
            expected.add("404")
        missing.extend((method, path, status) for status in expected - set(responses))
        for status, answer in responses.items():
            if int(status) >= 400:
                schema = answer["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}, (method, path)
    assert missing == []
    assert document["components"]["schemas"]["Error"]["required"] == ["error"]


def test_rate_limited_answers_document_their_headers(document):
    answer = document["paths"]["/api/v1/statuses"]["post"]["responses"]["429"]
    assert {"Retry-After", "X-RateLimit-Limit"} <= set(answer["headers"])


def test_a_body_without_required_fields_is_optional(document):
    components = document["components"]["schemas"]
    for method, path, operation in _operations(document):
        body = operation.get("requestBody")
        if body is None:
            continue
        ref = body["content"]["application/json"]["schema"].get("$ref", "")
        required = components.get(ref.rsplit("/", 1)[-1], {}).get("required")
        assert body.get("required", False) == bool(required), (method, path)


def test_statuses_a_route_declares_are_documented(document):
    export = document["paths"]["/api/v1/pln/export"]["post"]["responses"]
    assert "409" in export
    assert "404" in document["paths"]["/api/v1/instance/privacy_policy"]["get"]["responses"]


def test_enforced_limits_are_documented_from_their_constants(document):
    ids = next(
        p for p in document["paths"]["/api/v1/statuses"]["get"]["parameters"] if p["name"] == "id"
    )
    assert ids["schema"]["maxItems"] == QUERY_IDS_MAX
    packs = document["paths"]["/api/v1/pln/starter_packs"]["get"]["parameters"]
    limit = next(p for p in packs if p["name"] == "limit")
    assert limit["schema"]["maximum"] == LIMIT_MAX
    goals = document["components"]["schemas"]["GoalsIn"]["properties"]
    assert goals["learning"]["items"]["enum"] == ["visual", "auditory", "textual"]


@pytest.mark.django_db
def test_a_list_parameter_repeated_without_brackets_is_read_as_a_list(client, ada):
    """`id=1&id=2` (OpenAPI's form style) is the list `id[]=1&id[]=2` is, so the
    documented limit holds for it too."""
    headers = bearer(ada)
    too_many = "&".join(f"id={n}" for n in range(1, QUERY_IDS_MAX + 2))
    assert client.get(f"/api/v1/statuses?{too_many}", **headers).status_code == 422
    assert client.get(f"/api/v1/accounts?{too_many}", **headers).status_code == 422
    two = client.get(f"/api/v1/accounts?id={ada.pk}&id={ada.pk}", **headers)
    assert [account["id"] for account in two.json()] == [str(ada.pk)]
