"""The OpenAPI document holds the server to its word: schemathesis, in-process over WSGI,
sends each operation a few generated requests (schema-valid and schema-invalid ones) as a
signed-in teacher whose token holds every scope, and every check it has must pass: no 500,
every status documented, the documented content type, body and headers, invalid data
refused and valid data accepted (SECURITY-PLAN Z-1).

Bounded and deterministic: a fixed seed, `deterministic` generation and a few examples per
operation (the coverage and stateful phases, which multiply the requests, are off). Each
operation is one pytest test in its own database transaction, so what one writes never
reaches the next.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from staffroom.config.wsgi import application
from staffroom.oauth.services import personal_token_create
from tests.factories import make_user

ALL_CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "positive_data_acceptance",
    "negative_data_rejection",
)
ACCEPTED = ["2xx", "401", "403", "404", "409", "429"]

# Schema-valid requests these operations refuse with a 422 by a rule JSON Schema cannot state;
# for them a 422 also counts as the valid request being heard (every other check still holds).
DOMAIN_RULES: dict[str, str] = {
    "POST /api/v1/statuses": "a post needs text, media or a poll",
    "POST /api/v1/domain_blocks": "a domain must be a domain name",
    "DELETE /api/v1/domain_blocks": "a domain must be a domain name",
    "GET /api/v2/search": "`account_id` must be an account's id",
    "POST /api/v1/featured_tags": "a hashtag is letters, digits and underscores",
    "POST /api/v1/markers": "the timelines are named by the body's keys",
    "POST /api/v1/lists": "a title blank once trimmed",
    "POST /api/v1/filters": "a phrase blank once trimmed",
    "POST /api/v2/filters": "a title blank once trimmed",
    "POST /api/v1/pln/starter_packs": "a title blank once trimmed",
    "POST /api/v1/push/subscription": "an endpoint and keys inside `subscription`",
    "GET /api/v1/pln/directory": "subjects, roles and practices are the taxonomy's words",
    "PUT /api/v1/scheduled_statuses/{id}": "a time 5 minutes to a year ahead, as a date",
    # Files come as multipart; the document's JSON body cannot carry one.
    "POST /api/v1/media": "the file is multipart",
    "POST /api/v2/media": "the file is multipart",
    "POST /api/v1/pln/imports": "the file is multipart",
    "POST /api/v1/pln/media/{id}/captions": "the file is multipart",
}

# Mastodon reads these routes' paging and filter parameters leniently (Ruby's `to_i`: junk is
# the default, core/api/pagination.py; relationships skips ids it cannot read), so a
# schema-invalid query is answered, not refused.
LENIENT_PATHS = r"^/api/v[12]/(notifications|timelines|conversations|trends|accounts/relationships)"

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20260101,
        # NUL and text UTF-8 cannot carry are refused by the input gate before any route
        # (400, tests/core/test_input_gate*.py), whatever the operation's schema allows.
        "generation": {
            "max-examples": 3,
            "deterministic": True,
            "mode": "all",
            "allow-x00": False,
            "codec": "utf-8",
            # Unknown query parameters are ignored, as Mastodon ignores them (apps send
            # extras); they are not a malformed request the server should refuse.
            "allow-extra-parameters": False,
        },
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        "checks": {name: {"enabled": True} for name in ALL_CHECKS},
        "operations": [
            {
                "include-name": list(DOMAIN_RULES),
                "checks": {"positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "422"]}},
            },
            {
                "include-path-regex": LENIENT_PATHS,
                "checks": {"negative_data_rejection": {"enabled": False}},
            },
        ],
    }
)

# The streaming API is served beside Django (ASGI, long-lived): tests/streaming covers it.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application, config=CONFIG).exclude(
    tag="streaming"
)


@pytest.fixture
def in_test_transaction() -> Any:
    """Requests go through the real WSGI handler, whose end-of-request signal would close the
    database connection and with it the test's transaction (PostgreSQL); Django's test
    client holds the signal back in the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def authorization(db: Any, settings: Any, in_test_transaction: Any) -> dict[str, str]:
    settings.STAFFROOM_API_RATE_LIMIT = (100_000, 300)  # the handlers answer, not the limiter
    raw = personal_token_create(
        user=make_user(handle="fuzz"), scopes="read write follow push profile"
    ).raw_token
    return {"Authorization": f"Bearer {raw}"}


@pytest.mark.slow
@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None, database=None)
def test_every_operation_answers_as_documented(case: Any, authorization: dict[str, str]) -> None:
    case.call_and_validate(headers=authorization)
