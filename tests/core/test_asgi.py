"""The ASGI entry point: a request's synchronous work (middleware and view) runs in one
hop, on the worker's one sync thread, and the answers are the same as Django's."""

from __future__ import annotations

import asyncio
import gc
import json
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.utils.deprecation import MiddlewareMixin

from staffroom.config.asgi import SyncChainASGIHandler

pytestmark = pytest.mark.django_db(transaction=True)

SEEN: list[tuple[str, int]] = []


class ThreadRecorder(MiddlewareMixin):
    """Async-capable, as most middleware is: Django's own ASGI chain would run each of
    these hooks through `sync_to_async`."""

    def process_request(self, request: HttpRequest) -> None:
        SEEN.append(("request", threading.get_ident()))

    def process_view(self, request: HttpRequest, *args: Any) -> None:
        SEEN.append(("view", threading.get_ident()))

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        SEEN.append(("response", threading.get_ident()))
        return response


async def _call(app: Callable[..., Any], path: str) -> tuple[int, bytes]:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }
    sent: list[dict[str, Any]] = []
    delivered = False

    async def receive() -> dict[str, Any]:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.sleep(3600)  # the client stays connected
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    start = next(message for message in sent if message["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], body


def _handler_with_recorder(settings: Any) -> SyncChainASGIHandler:
    middleware = [*settings.MIDDLEWARE, "tests.core.test_asgi.ThreadRecorder"]
    with override_settings(MIDDLEWARE=middleware):
        return SyncChainASGIHandler()


def test_a_request_runs_every_middleware_hook_and_the_view_on_one_thread(settings):
    app = _handler_with_recorder(settings)
    SEEN.clear()
    status, body = asyncio.run(_call(app, "/api/v1/instance"))
    assert status == 200
    assert json.loads(body)["uri"]
    assert [hook for hook, _ in SEEN] == ["request", "view", "response"]
    assert len({thread for _, thread in SEEN}) == 1
    assert SEEN[0][1] != threading.get_ident()  # not on the event loop's thread


def test_concurrent_requests_share_the_workers_one_sync_thread(settings):
    app = _handler_with_recorder(settings)
    SEEN.clear()

    async def both() -> tuple[tuple[int, bytes], tuple[int, bytes]]:
        return await asyncio.gather(_call(app, "/api/v1/instance"), _call(app, "/api/v2/instance"))

    answers = asyncio.run(both())
    assert [status for status, _ in answers] == [200, 200]
    assert len(SEEN) == 6
    assert len({thread for _, thread in SEEN}) == 1


def test_an_unknown_api_path_still_answers_json_404(settings):
    status, body = asyncio.run(_call(SyncChainASGIHandler(), "/api/v1/nothing-here"))
    assert status == 404
    assert "error" in json.loads(body)


def test_only_http_connections_are_served():
    async def websocket() -> None:
        async def receive() -> dict[str, Any]:
            return {}

        async def send(message: Any) -> None:
            return None

        await SyncChainASGIHandler()({"type": "websocket"}, receive, send)

    with pytest.raises(ValueError, match="websocket"):
        asyncio.run(websocket())


def test_a_request_crosses_to_the_sync_thread_a_few_times_not_once_per_hook(monkeypatch):
    """Django's default ASGI chain ran every middleware hook through `sync_to_async`
    (nineteen crossings for our stack); this chain crosses once, plus the request
    signals and closing the response."""
    from asgiref import sync

    crossings = 0
    original = sync.SyncToAsync.__call__

    async def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal crossings
        crossings += 1
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(sync.SyncToAsync, "__call__", counted)
    status, _ = asyncio.run(_call(SyncChainASGIHandler(), "/api/v1/instance"))
    assert status == 200
    assert crossings <= 4


def test_a_worker_warms_up_without_the_database(django_assert_num_queries):
    """The one-off costs (URL tables, the Markdown and link pipeline) are paid at start."""
    from staffroom.config.warmup import warm_up

    with django_assert_num_queries(0):
        warm_up()
    try:
        assert gc.get_freeze_count() > 0, "what the worker built is kept out of full collections"
    finally:
        gc.unfreeze()
