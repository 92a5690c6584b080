"""The error answers of every operation in the OpenAPI document, derived rather than listed.

django-ninja documents only what a route's `response=` names (its 200), yet every route
under /api can also answer with Mastodon's error body `{"error": "..."}` for reasons that
live outside the route: the API middleware, authentication, the input parser, the request
size limits and the domain exceptions (core/api/errors.py turns each into its status). Those
reasons follow from what an operation already carries in the document, so `complete_operation`
derives its answers from that instead of each of 250 routes repeating them:

- every operation: 400 (a malformed body or query string, a NUL byte) and 429 (the API rate
  limit, with `Retry-After` and the `X-RateLimit-*` headers);
- it takes a parameter or a body: 422 (a value of the wrong type, or one a rule refuses);
- it has a path parameter, a required query parameter or a body: 404 (an unknown, malformed
  or hidden record, Mastodon's "Record not found": `acct=` and a body name records too);
- it has a body: 413 (the request size limit, config/asgi.py);
- it needs a token (`security`): 401 (no valid token) and 403 (a token without the scope, or a
  teacher the rule does not allow);
- anything else a route answers (409 from an export already being prepared, 404 for a
  privacy policy nobody wrote) it declares itself with `openapi_extra=also_answers(409)`, and
  gets the same error body here.

Limits belong in the schemas themselves (`Field(max_length=CONSTANT)`, with the constant the
code enforces), where pydantic both enforces and documents them.

Optional bodies are documented as such: a body none of whose fields is required may be left
out (ninja marks every body required), and the server answers as for an empty one.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from staffroom.core.ids import ascii_digits

ERROR_SCHEMA_NAME = "Error"
ERROR_SCHEMA: dict[str, Any] = {
    "title": ERROR_SCHEMA_NAME,
    "description": "Mastodon's error body; a 422 may add `details` per field.",
    "type": "object",
    "properties": {
        "error": {"type": "string"},
        "details": {"type": "object"},
    },
    "required": ["error"],
}
_ERROR_REF = {"$ref": f"#/components/schemas/{ERROR_SCHEMA_NAME}"}

WHY: dict[int, str] = {
    400: "Malformed input: a body or query string that cannot be read, or a refused value",
    401: "No valid access token",
    403: "The token lacks the scope, or the rule does not allow this teacher",
    404: "Record not found (unknown, malformed or not visible to you)",
    409: "Conflicts with work already under way",
    413: "The request body is too large",
    422: "Validation failed (the message names the field)",
    429: "Too many requests: wait `Retry-After` seconds",
}
_RATE_HEADERS: dict[str, Any] = {
    "Retry-After": {"description": "Seconds to wait", "schema": {"type": "string"}},
    "X-RateLimit-Limit": {"schema": {"type": "string"}},
    "X-RateLimit-Remaining": {"schema": {"type": "string"}},
    "X-RateLimit-Reset": {"schema": {"type": "string"}},
}
_WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})


def also_answers(*statuses: int) -> dict[str, Any]:
    """`openapi_extra` for a route that answers an error status the rules above cannot
    know about (a domain Conflict, say): `@router.post(..., openapi_extra=also_answers(409))`."""
    return {"responses": {str(status): {"description": WHY.get(status, "")} for status in statuses}}


def error_statuses(operation: dict[str, Any]) -> set[int]:
    """The error statuses an operation can answer, from what the document says of it."""
    parameters = operation.get("parameters") or []
    has_body = "requestBody" in operation
    statuses = {400, 429}
    if parameters or has_body:
        statuses.add(422)
    names_a_record = any(
        parameter.get("in") == "path" or parameter.get("required") for parameter in parameters
    )
    if has_body or names_a_record:
        statuses.add(404)
    if has_body:
        statuses.add(413)
    if operation.get("security"):
        statuses |= {401, 403}
    return statuses


def _error_response(status: int, existing: dict[str, Any] | None) -> dict[str, Any]:
    response: dict[str, Any] = dict(existing or {})
    response["description"] = response.get("description") or WHY.get(
        status, HTTPStatus(status).phrase
    )
    response.setdefault("content", {"application/json": {"schema": _ERROR_REF}})
    if status == 429:
        response.setdefault("headers", _RATE_HEADERS)
    if status == 401:
        response.setdefault("headers", {"WWW-Authenticate": {"schema": {"type": "string"}}})
    return response


def _body_is_optional(body: dict[str, Any], components: dict[str, Any]) -> bool:
    for media in (body.get("content") or {}).values():
        schema = media.get("schema") or {}
        while "$ref" in schema:
            schema = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
        if schema.get("required"):
            return False
    return True


def complete_operation(operation: dict[str, Any], components: dict[str, Any]) -> None:
    """Add the derived error answers to one operation, and free its body when optional."""
    # ninja keys its responses by int; `openapi_extra` and JSON by str: one key per status.
    responses = {str(code): answer for code, answer in (operation.get("responses") or {}).items()}
    operation["responses"] = responses
    declared = {int(code) for code in responses if ascii_digits(code) and int(code) >= 400}
    for status in sorted(error_statuses(operation) | declared):
        responses[str(status)] = _error_response(status, responses.get(str(status)))
    body = operation.get("requestBody")
    if body is not None and _body_is_optional(body, components):
        body["required"] = False


def complete_document(document: dict[str, Any]) -> dict[str, Any]:
    """Every ninja operation of `document` completed in place (see the module docstring)."""
    components = document.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault(ERROR_SCHEMA_NAME, ERROR_SCHEMA)
    for item in document.get("paths", {}).values():
        for method, operation in item.items():
            if isinstance(operation, dict) and method in _WRITE_METHODS | {"get", "head"}:
                complete_operation(operation, components)
    return document
