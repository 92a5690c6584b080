"""Request bodies counted as they arrive, before Django sees them (SECURITY-PLAN U-4).

RequestSizeLimitMiddleware refuses a body whose Content-Length is over the limit, but a
client may send a chunked body with no Content-Length, and Django's ASGI handler reads the
whole body (into a temporary file) before any middleware runs. This wrapper sits in front of
Django (config/asgi.py): it reads the body itself, counting, and answers 413 as soon as the
count passes the limit for the path (core.middleware.request_limit), without reading
further and without handing the request to Django. A body within the limit is handed to
Django as it came, from memory or, past FILE_UPLOAD_MAX_MEMORY_SIZE, from a temporary file.

It also bounds a slow body (slowloris on the body, SECURITY-PLAN U-4): a body that sends
nothing for STAFFROOM_BODY_IDLE_TIMEOUT_SECONDS, or is still arriving
STAFFROOM_BODY_TIMEOUT_SECONDS after its headers, is answered 408 and the connection closed.
An upload that keeps making progress is never cut before the total. The request line and
headers have their own deadline in the HTTP protocol (core/slow_clients.py).
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable, Mapping
from tempfile import SpooledTemporaryFile
from typing import Any, cast

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponse
from django.middleware.security import SecurityMiddleware

from staffroom.core.middleware import request_limit, too_large_response, too_slow_response

Scope = dict[str, Any]
Message = Mapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# The body is handed on in blocks of this size.
_BLOCK = 256 * 1024


class RequestBodyLimit:
    """ASGI middleware: 413 for a request body past its path's limit, declared or counted."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = request_limit(scope["path"])
        if _declared_length(scope) > limit:
            await _refuse(scope, send, limit)
            return
        loop = asyncio.get_running_loop()
        idle = float(settings.STAFFROOM_BODY_IDLE_TIMEOUT_SECONDS)
        deadline = loop.time() + float(settings.STAFFROOM_BODY_TIMEOUT_SECONDS)
        with SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE) as body:
            received = 0
            more_body = True
            while more_body:
                try:
                    async with asyncio.timeout(min(idle, max(0.0, deadline - loop.time()))):
                        message = await receive()
                except TimeoutError:
                    await _refuse_slow(scope, send)
                    return
                if message["type"] == "http.disconnect":
                    return  # the client left: nobody to answer
                chunk = message.get("body", b"")
                received += len(chunk)
                if received > limit:
                    await _refuse(scope, send, limit)  # and read no more of it
                    return
                body.write(chunk)
                more_body = message.get("more_body", False)
            body.seek(0)
            await self.app(scope, _replay(body, received, receive), send)


def _declared_length(scope: Scope) -> int:
    for name, value in scope.get("headers", ()):
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0  # the server refuses such a request before it reaches us
    return 0


def _replay(body: SpooledTemporaryFile[bytes], size: int, receive: Receive) -> Receive:
    """A `receive` that gives the stored body in blocks, then whatever the client sends
    next (its `http.disconnect`, which streaming responses listen for)."""
    given = 0
    finished = False

    async def replayed() -> Message:
        nonlocal given, finished
        if finished:
            return await receive()
        block = body.read(_BLOCK)
        given += len(block)
        finished = given >= size
        return {"type": "http.request", "body": block, "more_body": not finished}

    return replayed


async def _refuse(scope: Scope, send: Send, limit: int) -> None:
    """The 413 the Django middleware would give (JSON under /api/, a page otherwise), with
    the headers SecurityMiddleware adds to it; the connection is closed after it, since the
    rest of the body is never read."""
    response = await sync_to_async(_too_large, thread_sensitive=True)(scope, limit)
    await _send_closing(send, response)


async def _refuse_slow(scope: Scope, send: Send) -> None:
    """408 for a body that stopped coming or came too slowly; the connection is closed."""
    response = await sync_to_async(_too_slow, thread_sensitive=True)(scope)
    await _send_closing(send, response)


async def _send_closing(send: Send, response: HttpResponse) -> None:
    headers = [
        (name.encode("latin-1"), value.encode("latin-1")) for name, value in response.items()
    ]
    headers += [(b"content-length", str(len(response.content)).encode()), (b"connection", b"close")]
    await send({"type": "http.response.start", "status": response.status_code, "headers": headers})
    await send({"type": "http.response.body", "body": response.content})


def _too_large(scope: Scope, limit: int) -> HttpResponse:
    request = ASGIRequest(scope, io.BytesIO())

    def answer(request: HttpRequest) -> HttpResponse:
        return too_large_response(request, limit)

    return cast(HttpResponse, SecurityMiddleware(answer)(request))


def _too_slow(scope: Scope) -> HttpResponse:
    request = ASGIRequest(scope, io.BytesIO())
    return cast(HttpResponse, SecurityMiddleware(too_slow_response)(request))
