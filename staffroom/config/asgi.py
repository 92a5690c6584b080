"""ASGI entry point (uvicorn workers under `staffroom serve`)."""

import os
import warnings
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import django
from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler

from staffroom.core.asgi_limits import RequestBodyLimit

# WhiteNoise streams static files from a synchronous iterator; under ASGI Django warns on
# every file served. The files are small and cached, so the warning is only noise.
warnings.filterwarnings(
    "ignore", message="StreamingHttpResponse must consume synchronous iterators"
)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "staffroom.config.settings.base")

Receive = Callable[[], Awaitable[Mapping[str, Any]]]
Send = Callable[[Mapping[str, Any]], Awaitable[None]]


class SyncChainASGIHandler(ASGIHandler):
    """Django's ASGI handler, with the synchronous work of a request run as a WSGI worker
    would run it: the whole middleware chain and the view in one hop to a thread, and one
    such thread per worker process.

    Two costs of Django's default ASGI handling, measured on the feed benchmark
    (BENCHMARKS.md, "Feeds: what limits them"):

    - Django keeps every middleware that can run async in async mode, and `MiddlewareMixin`
      then runs each `process_request` / `process_response` through `sync_to_async`: with
      our stack (sessions, locale, CSRF, auth, messages, CSP, ...) a request crossed between
      the event loop and a thread nineteen times; a trivial route cost 10 ms served and
      1.7 ms in process. Every middleware we use and every view is synchronous, so the chain
      is built synchronous and entered once.
    - Django gives each request its own thread (`ThreadSensitiveContext`), so a worker ran
      its requests' Python side by side, competing for one interpreter lock: eight
      concurrent feed pages cost 70% more CPU each than one at a time. Without the
      per-request context, thread-sensitive work runs on the worker's one sync thread, one
      request after another, as in a WSGI worker; `staffroom serve --workers` scales out.

    What stays asynchronous: reading request bodies and sending responses run on the event
    loop, so a slow client or a streaming response (server-sent events) never holds the
    sync thread."""

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        await self.handle(scope, receive, send)

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)
        chain: Any = self._middleware_chain  # type: ignore[has-type]
        self._middleware_chain = sync_to_async(chain, thread_sensitive=True)


# Models load here; what follows imports them.
django.setup(set_prefix=False)

from staffroom.config.warmup import warm_up  # noqa: E402 - needs the apps loaded
from staffroom.streaming.wiring import (  # noqa: E402 - needs the apps loaded
    StreamingApp,
    is_streaming_path,
    streaming_application,
)


class StreamingRouter:
    """Mastodon's streaming API (staffroom/streaming/asgi.py) under /api/v1/streaming, every
    other request to Django. Django has no WebSocket; any other WebSocket is refused."""

    def __init__(self, django_app: RequestBodyLimit, streaming: StreamingApp) -> None:
        self.django_app = django_app
        self.streaming = streaming

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and is_streaming_path(scope["path"]):
            await self.streaming(scope, receive, send)
        elif scope["type"] == "websocket":
            await receive()
            await send({"type": "websocket.close", "code": 1008})
        else:
            await self.django_app(scope, receive, send)


def _application() -> StreamingRouter:
    handler = SyncChainASGIHandler()
    warm_up()
    # Bodies are counted before Django reads them: 413 past the path's limit, even when
    # the client declared no Content-Length (core/asgi_limits.py).
    return StreamingRouter(RequestBodyLimit(handler), streaming_application())


application = _application()
