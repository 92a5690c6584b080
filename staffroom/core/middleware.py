"""Request-level guards shared by every page and API route."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def request_limit(path: str) -> int:
    """The most bytes a request body to `path` may have: STAFFROOM_MEDIA_MAX_REQUEST_BYTES
    on the upload routes (STAFFROOM_MEDIA_UPLOAD_PATHS and what lies under them),
    STAFFROOM_MAX_REQUEST_BYTES everywhere else."""
    for prefix in settings.STAFFROOM_MEDIA_UPLOAD_PATHS:
        if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
            return int(settings.STAFFROOM_MEDIA_MAX_REQUEST_BYTES)
    return int(settings.STAFFROOM_MAX_REQUEST_BYTES)


class RequestSizeLimitMiddleware:
    """Answer 413 before reading a body whose declared size is over the limit for its path.

    Django's own DATA_UPLOAD_MAX_MEMORY_SIZE only trips once the body is being parsed; this
    refuses a 50 MB post from its Content-Length header, so the view never reads it. Under
    ASGI, core/asgi_limits.py has already counted the bytes that actually came.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            size = int(declared)
        except ValueError:
            size = 0
        limit = request_limit(request.path)
        if size > limit:
            return too_large_response(request, limit)
        return self.get_response(request)


def wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return request.path.startswith(("/api/", "/oauth/", "/.well-known/", "/healthz")) or (
        "application/json" in accept and "text/html" not in accept
    )


def too_large_response(request: HttpRequest, limit: int) -> HttpResponse:
    """413, in JSON for API clients and as a page for people, naming the limit that applied."""
    message = _("The request is too large. The most this server accepts here is %(size)s.") % {
        "size": _size(limit)
    }
    if wants_json(request):
        return JsonResponse({"error": message}, status=413)
    body = render_to_string("errors/413.html", {"message": message}, request=request)
    return HttpResponse(body, status=413)


def too_slow_response(request: HttpRequest) -> HttpResponse:
    """408 for a request body that stopped coming, or came too slowly (core/asgi_limits.py),
    in JSON for API clients and as a page for people."""
    message = _("The request's body came too slowly, so the server stopped waiting. Try again.")
    if wants_json(request):
        return JsonResponse({"error": message}, status=408)
    context = {"title": _("Request timed out"), "message": message}
    return HttpResponse(render_to_string("errors/error.html", context, request=request), status=408)


def _size(count: int) -> str:
    """101 MB, 16 MB, 1.5 MB; small test limits as KB or bytes."""
    if count >= 1024 * 1024:
        return _("%(count)s MB") % {"count": f"{count / (1024 * 1024):g}"}
    if count >= 1024:
        return _("%(count)s KB") % {"count": f"{count / 1024:g}"}
    return ngettext("%(count)d byte", "%(count)d bytes", count) % {"count": count}


PRIVATE_CACHE_CONTROL = "private, no-store"


class PrivateAnswersMiddleware:
    """`Cache-Control: private, no-store` on every answer given to a signed-in person (a
    session) or an API client (an `Authorization` header), as Mastodon sends: a shared
    school computer's browser, or a proxy between it and the server, must not keep a
    teacher's home feed, messages or settings for the next person.

    An answer that chose its own Cache-Control keeps it (uploaded media served by the app
    are immutable and public by address; the web manifest is public). Signed-out answers
    are left alone: they are what anyone may see."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.has_header("Cache-Control") or not _answers_someone(request):
            return response
        response["Cache-Control"] = PRIVATE_CACHE_CONTROL
        return response


def _answers_someone(request: HttpRequest) -> bool:
    if request.META.get("HTTP_AUTHORIZATION"):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)
