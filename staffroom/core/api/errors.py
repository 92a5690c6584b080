"""Mastodon's error bodies (`{"error": "..."}`) for everything under /api."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import BadRequest, ObjectDoesNotExist, SuspiciousOperation
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from staffroom.core.exceptions import NOT_FOUND, DomainError, RateLimited

logger = logging.getLogger(__name__)

UNEXPECTED = "Something went wrong on our side. Please try again in a moment."
INVALID_TOKEN = "The access token is invalid"  # noqa: S105 - a message, not a secret


class ScopeError(Exception):
    """The token is valid but lacks the scope the route needs (403)."""


def error_response(status: int, message: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def _location(loc: Any) -> str:
    parts = [str(part) for part in loc if part not in {"body", "query", "path", "payload", "form"}]
    return ".".join(parts) or "request"


def validation_message(errors: list[dict[str, Any]]) -> tuple[str, dict[str, list[dict[str, str]]]]:
    """Mastodon's "Validation failed: field message, ..." plus per-field details."""
    details: dict[str, list[dict[str, str]]] = {}
    for error in errors:
        field = _location(error.get("loc", ()))
        details.setdefault(field, []).append(
            {"error": str(error.get("type", "invalid")), "description": str(error.get("msg"))}
        )
    summary = ", ".join(
        f"{field} {item['description']}" for field, items in details.items() for item in items
    )
    return f"Validation failed: {summary}", details


def _on_validation(request: HttpRequest, error: NinjaValidationError) -> HttpResponse:
    message, details = validation_message(list(error.errors))
    return error_response(422, message, details=details)


def _on_authentication(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    response = error_response(401, INVALID_TOKEN)
    response["WWW-Authenticate"] = 'Bearer realm="Staffroom", error="invalid_token"'
    return response


def _on_scope(request: HttpRequest, error: ScopeError) -> HttpResponse:
    return error_response(403, "This action is outside the authorized scopes")


def _on_http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    return error_response(error.status_code, str(error.message))


def _on_domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    response = error_response(error.status_code, error.message)
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


def _on_not_found(request: HttpRequest, error: Exception) -> HttpResponse:
    return error_response(404, NOT_FOUND)


def _on_bad_request(request: HttpRequest, error: Exception) -> HttpResponse:
    message = str(error) if isinstance(error, BadRequest) else "The request is malformed."
    return error_response(400, message or "The request is malformed.")


def _on_forbidden(request: HttpRequest, error: Exception) -> HttpResponse:
    return error_response(403, str(error) or "This action is not allowed.")


def _on_unexpected(request: HttpRequest, error: Exception) -> HttpResponse:
    logger.error("Unexpected error in %s %s", request.method, request.path, exc_info=error)
    return error_response(500, UNEXPECTED)


Handler = Callable[[HttpRequest, Any], HttpResponse]

HANDLERS: list[tuple[type[Exception], Handler]] = [
    (NinjaValidationError, _on_validation),
    (AuthenticationError, _on_authentication),
    (ScopeError, _on_scope),
    (HttpError, _on_http_error),
    (DomainError, _on_domain_error),
    (Http404, _on_not_found),
    (ObjectDoesNotExist, _on_not_found),
    (BadRequest, _on_bad_request),
    (SuspiciousOperation, _on_bad_request),
    (DjangoPermissionDenied, _on_forbidden),
    (Exception, _on_unexpected),
]


def install_error_handlers(api: NinjaAPI) -> None:
    """Every failure under /api answers with Mastodon's error body, never a framework page."""
    for exception_class, handler in HANDLERS:
        api.add_exception_handler(exception_class, handler)
