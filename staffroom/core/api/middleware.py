"""Request and response shaping for the API paths (/api, /oauth, /.well-known)."""

from __future__ import annotations

import json
from collections.abc import Callable
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import HttpRequest, HttpResponse

from staffroom.core import ratelimit
from staffroom.core.api.errors import error_response
from staffroom.core.api.input import request_data
from staffroom.core.client_ip import client_ip

API_PREFIXES = ("/api/", "/oauth/", "/.well-known/")
_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIXES)


class ApiMiddleware:
    """Makes the API paths behave as Mastodon clients expect.

    - A trailing slash is accepted (Mastodon.py asks for `/api/v1/instance/`).
    - Under /api, write bodies are read once, up front, through `core.api.input` (multipart
      PATCH included, streamed, so files are not held in memory twice).
    - Every error response is JSON `{"error": ...}`, including Django's own 404 and 405.
    - /api responses carry X-RateLimit-* headers; past the limit the answer is 429.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_api_path(request.path_info):
            return self.get_response(request)
        self._strip_trailing_slash(request)
        limit_headers: dict[str, str] = {}
        if request.path_info.startswith("/api/"):
            early = self._prepare_body(request) or self._rate_limit(request, limit_headers)
            if early is not None:
                return early
        response = self._as_json_error(self.get_response(request))
        for name, value in limit_headers.items():
            response[name] = value
        return response

    @staticmethod
    def _strip_trailing_slash(request: HttpRequest) -> None:
        path = request.path_info
        if len(path) > 1 and path.endswith("/") and path.count("/") > 1:
            trimmed = path.rstrip("/")
            request.path_info = trimmed
            request.path = request.path[: len(request.path) - (len(path) - len(trimmed))]

    @staticmethod
    def _prepare_body(request: HttpRequest) -> HttpResponse | None:
        if request.method not in _WRITE_METHODS:
            return None
        try:
            request_data(request)
        except (BadRequest, SuspiciousOperation) as error:
            return error_response(400, str(error) or "The request is malformed.")
        # django-ninja reads `request.body` to decide whether there is a body at all. The
        # stream is consumed for forms, and an empty body would skip the query string, so
        # leave a marker; the parser answers from the data read above.
        form_types = {"multipart/form-data", "application/x-www-form-urlencoded"}
        if request.content_type in form_types or not request.body:
            request._body = b"{}"
        return None

    @staticmethod
    def _rate_limit(request: HttpRequest, headers: dict[str, str]) -> HttpResponse | None:
        limit, window = settings.STAFFROOM_API_RATE_LIMIT
        authorization = request.headers.get("Authorization", "")
        identity = authorization or client_ip(request)
        result = ratelimit.hit("api", identity, limit=limit, window=window, exact=False)
        headers["X-RateLimit-Limit"] = str(limit)
        headers["X-RateLimit-Remaining"] = str(max(0, limit - result.count))
        headers["X-RateLimit-Reset"] = result.reset_at.isoformat()
        if result.allowed:
            return None
        response = error_response(429, "Too many requests")
        response["Retry-After"] = str(result.retry_after)
        for name, value in headers.items():
            response[name] = value
        return response

    @staticmethod
    def _as_json_error(response: HttpResponse) -> HttpResponse:
        content_type = response.get("Content-Type", "")
        if response.status_code < 400 or content_type.startswith("application/json"):
            return response
        reason = HTTPStatus(response.status_code).phrase if response.status_code < 600 else ""
        replacement = error_response(response.status_code, reason or "Error")
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                replacement[header] = response[header]
        return replacement


def json_body(response: HttpResponse) -> object:
    """Decode a JSON response body (used by tests and the contract harness)."""
    return json.loads(response.content)
