"""Request-level guards shared by every page and API route."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


class RequestSizeLimitMiddleware:
    """Answer 413 before reading a body whose declared size is over the limit.

    Django's own DATA_UPLOAD_MAX_MEMORY_SIZE only trips once the body is being parsed; this
    refuses a 50 MB upload from its Content-Length header, so the worker never reads it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            size = int(declared)
        except ValueError:
            size = 0
        if size > settings.STAFFROOM_MAX_REQUEST_BYTES:
            return too_large_response(request)
        return self.get_response(request)


def wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return request.path.startswith(("/api/", "/oauth/", "/.well-known/", "/healthz")) or (
        "application/json" in accept and "text/html" not in accept
    )


def too_large_response(request: HttpRequest) -> HttpResponse:
    message = _("The request is too large. The most this server accepts is %(mb)d MB.") % {
        "mb": settings.STAFFROOM_MAX_REQUEST_BYTES // (1024 * 1024)
    }
    if wants_json(request):
        return JsonResponse({"error": message}, status=413)
    body = render_to_string("errors/413.html", {"message": message}, request=request)
    return HttpResponse(body, status=413)
