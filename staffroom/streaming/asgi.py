"""Mastodon's streaming API over ASGI: server-sent events and the WebSocket.

- `GET /api/v1/streaming/health`: `OK`.
- `GET /api/v1/streaming/<stream path>` (`user`, `user/notification`, `public`,
  `public/local`, `public/remote`, `hashtag?tag=`, `hashtag/local?tag=`, `list?list=`,
  `direct`; `only_media=true` on the public ones): server-sent events, `event: <name>` and
  `data: <payload>` per event, a `:thump` comment every HEARTBEAT_SECONDS.
- WebSocket at `/api/v1/streaming` (`?stream=...` subscribes at once; then
  `{"type": "subscribe" | "unsubscribe", "stream": ..., "tag"/"list": ...}` messages, several
  streams on one socket): each event is `{"stream": [...], "event": ..., "payload": "<JSON>"}`,
  errors are `{"error": ..., "status": ...}` messages and the socket stays open.

This app sits beside Django in `config/asgi.py`: Django has no WebSocket, and a long-lived
response must not hold the worker's one thread for Django (a connection costs a coroutine
and a queue here, no thread). Database work (the token, a list's owner) runs in threads.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from http.cookies import SimpleCookie
from typing import Any, TypeVar
from urllib.parse import parse_qsl

from asgiref.sync import sync_to_async

from staffroom.streaming.auth import presented_token, viewer_for_session, viewer_for_token
from staffroom.streaming.hub import (
    CLIENT_CLOSED,
    SLOW_CLIENT,
    Connection,
    Hub,
    with_fresh_connections,
)
from staffroom.streaming.streams import (
    StreamError,
    Subscription,
    Viewer,
    resolve_stream,
    stream_for_path,
)

logger = logging.getLogger(__name__)

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[Mapping[str, Any]]]
Send = Callable[[Mapping[str, Any]], Awaitable[None]]

T = TypeVar("T")

PREFIX = "/api/v1/streaming"
HEARTBEAT_SECONDS = 15.0
QUERY_MAX_BYTES = 4096
# A WebSocket client's own messages are small JSON objects.
CLIENT_MESSAGE_MAX_CHARS = 4096


def is_streaming_path(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


class StreamingApp:
    """The ASGI application for every path under /api/v1/streaming."""

    def __init__(self, hub: Callable[[], Hub]) -> None:
        self._hub = hub

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            if scope["type"] == "websocket":
                await WebSocketSession(self._hub(), scope, receive, send).run()
            elif scope["type"] == "http":
                await _http(self._hub, scope, receive, send)
        except Exception:
            # Never a traceback to the client: the response or socket just ends.
            logger.exception("Streaming: request failed (%s %s)", scope["type"], scope.get("path"))


# --- Shared by both transports ------------------------------------------------------------


def _params(scope: Scope) -> dict[str, str]:
    raw = scope.get("query_string", b"")[:QUERY_MAX_BYTES].decode("latin-1")
    return dict(parse_qsl(raw, keep_blank_values=True))


def _headers(scope: Scope) -> dict[str, str]:
    return {
        name.decode("latin-1").lower(): value.decode("latin-1")
        for name, value in scope.get("headers", [])
    }


def _address(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


async def _viewer(scope: Scope, headers: Mapping[str, str], params: Mapping[str, str]) -> Viewer:
    """The viewer a request authenticates as, or StreamError 401. Server-sent events also
    accept the web UI's session cookie (auth.py says why only they do)."""
    token = presented_token(headers, params, scope.get("subprotocols") or ())
    if token:
        return await _database(viewer_for_token, token)
    if scope["type"] == "http" and headers.get("sec-fetch-site", "same-origin") in (
        "same-origin",
        "none",
    ):
        cookie = SimpleCookie()
        cookie.load(headers.get("cookie", ""))
        cookies = {name: morsel.value for name, morsel in cookie.items()}
        viewer = await _database(viewer_for_session, cookies)
        if viewer is not None:
            return viewer
    raise StreamError(401, "Missing access token")


async def _database(function: Callable[..., T], *args: Any) -> T:
    """`function(*args)` on a thread (it reads the database), never on the event loop."""
    result: T = await sync_to_async(with_fresh_connections, thread_sensitive=False)(function, *args)
    return result


async def _resolve(name: str | None, params: Mapping[str, str], viewer: Viewer) -> Subscription:
    if name == "list":  # the only stream that reads the database
        return await _database(resolve_stream, name, params, viewer)
    return resolve_stream(name, params, viewer)


# --- Server-sent events -------------------------------------------------------------------


async def _json_response(send: Send, status: int, body: dict[str, Any]) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"cache-control", b"no-store")],
        }
    )
    await send({"type": "http.response.body", "body": json.dumps(body).encode()})


async def _http(hub_of: Callable[[], Hub], scope: Scope, receive: Receive, send: Send) -> None:
    rest = scope["path"][len(PREFIX) :].strip("/")
    if scope.get("method") not in ("GET", "HEAD"):
        await _json_response(send, 405, {"error": "Method not allowed"})
        return
    if rest == "health":
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/plain"), (b"cache-control", b"no-store")],
            }
        )
        await send({"type": "http.response.body", "body": b"OK"})
        return
    params = _params(scope)
    name = stream_for_path(rest, params) if rest else params.get("stream")
    if name is None:
        await _json_response(send, 404, {"error": "Not found"})
        return
    hub = hub_of()
    try:
        viewer = await _viewer(scope, _headers(scope), params)
        subscription = await _resolve(name, params, viewer)
        connection = hub.open(viewer, address=_address(scope), transport="eventsource")
    except StreamError as error:
        await _json_response(send, error.status, {"error": error.message})
        return
    try:
        hub.subscribe(connection, subscription)
        await _event_stream(connection, receive, send)
    finally:
        hub.close(connection)


async def _event_stream(connection: Connection, receive: Receive, send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"text/event-stream; charset=utf-8"),
                (b"cache-control", b"no-store"),
                (b"x-accel-buffering", b"no"),  # a proxy must pass each event on at once
            ],
        }
    )
    await send({"type": "http.response.body", "body": b":)\n\n", "more_body": True})
    watcher = asyncio.create_task(_until_disconnect(receive, connection))
    try:
        while not connection.closed.is_set():
            item = await connection.next_item(HEARTBEAT_SECONDS)
            if connection.closed.is_set():
                break
            chunk = (
                b":thump\n\n"
                if item is None
                else f"event: {item.event}\ndata: {item.payload}\n\n".encode()
            )
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
    except OSError:
        pass  # the client went away mid-write
    finally:
        watcher.cancel()


async def _until_disconnect(receive: Receive, connection: Connection) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            connection.close(CLIENT_CLOSED)
            return


# --- WebSocket ----------------------------------------------------------------------------


class WebSocketSession:
    """One WebSocket: the handshake (401 when the token is missing or bad), then a reader of
    the client's subscribe/unsubscribe messages and a writer of events, until either ends."""

    def __init__(self, hub: Hub, scope: Scope, receive: Receive, send: Send) -> None:
        self.hub = hub
        self.scope = scope
        self.receive = receive
        self.send = send
        self.connection: Connection | None = None
        # The reader (errors) and the writer (events) both send: one frame at a time.
        self._sending = asyncio.Lock()

    async def run(self) -> None:
        first = await self.receive()
        if first["type"] != "websocket.connect":
            return
        params = _params(self.scope)
        headers = _headers(self.scope)
        try:
            viewer = await _viewer(self.scope, headers, params)
            connection = self.hub.open(viewer, address=_address(self.scope), transport="websocket")
        except StreamError as error:
            await self._refuse(error)
            return
        self.connection = connection
        try:
            # The stream named in the URL is subscribed before the socket opens, so a client
            # that posts as soon as it is connected never misses its own event.
            refused = None
            if params.get("stream"):
                try:
                    subscription = await _resolve(params.get("stream"), params, viewer)
                    self.hub.subscribe(connection, subscription)
                except StreamError as error:
                    refused = error
            subprotocols = self.scope.get("subprotocols") or []
            accept: dict[str, Any] = {"type": "websocket.accept"}
            if subprotocols:
                accept["subprotocol"] = subprotocols[0]  # Mastodon echoes the token
            await self.send(accept)
            if refused is not None:
                await self._error(refused.status, refused.message)
            reader = asyncio.create_task(self._read())
            try:
                await self._write()
            finally:
                reader.cancel()
        finally:
            self.hub.close(connection)

    async def _refuse(self, error: StreamError) -> None:
        """Mastodon answers a refused upgrade with its HTTP error; servers without ASGI's
        denial-response extension can only close (the client sees 403)."""
        if "websocket.http.response" in self.scope.get("extensions", {}):
            await self.send(
                {
                    "type": "websocket.http.response.start",
                    "status": error.status,
                    "headers": [(b"content-type", b"application/json")],
                }
            )
            body = json.dumps({"error": error.message}).encode()
            await self.send({"type": "websocket.http.response.body", "body": body})
        else:
            await self.send({"type": "websocket.close", "code": 1008})

    async def _write(self) -> None:
        connection = self.connection
        assert connection is not None  # noqa: S101 - set before the loops start
        while not connection.closed.is_set():
            item = await connection.next_item(HEARTBEAT_SECONDS)
            if item is None or connection.closed.is_set():
                continue  # uvicorn pings the peer; nothing to send
            message = {"stream": list(item.stream), "event": item.event, "payload": item.payload}
            await self._send_text(json.dumps(message))
        if connection.close_reason != CLIENT_CLOSED:
            # 1008: policy (a revoked token); 1013: try again later (a slow client).
            code = 1013 if connection.close_reason == SLOW_CLIENT else 1008
            async with self._sending:
                await self.send({"type": "websocket.close", "code": code})

    async def _read(self) -> None:
        connection = self.connection
        assert connection is not None  # noqa: S101 - set before the loops start
        try:
            while True:
                message = await self.receive()
                if message["type"] == "websocket.disconnect":
                    break
                if message.get("bytes") is not None:
                    await self._error(400, "Binary messages are not supported")
                    continue
                await self._handle(message.get("text") or "")
        finally:
            connection.close(CLIENT_CLOSED)

    async def _handle(self, text: str) -> None:
        try:
            data = json.loads(text) if len(text) <= CLIENT_MESSAGE_MAX_CHARS else None
        except ValueError:
            data = None
        if not isinstance(data, dict):
            await self._error(400, "Invalid message: expected a JSON object")
            return
        stream = data.get("stream")
        if isinstance(stream, list):
            stream = stream[0] if stream else None
        params = {key: str(value) for key, value in data.items() if isinstance(value, str | int)}
        name = stream if isinstance(stream, str) else None
        if data.get("type") == "subscribe":
            await self._subscribe(name, params)
        elif data.get("type") == "unsubscribe":
            await self._unsubscribe(name, params)
        # Mastodon ignores other message types.

    async def _subscribe(self, name: str | None, params: Mapping[str, str]) -> None:
        assert self.connection is not None  # noqa: S101 - set before the loops start
        try:
            subscription = await _resolve(name, params, self.connection.viewer)
            self.hub.subscribe(self.connection, subscription)
        except StreamError as error:
            await self._error(error.status, error.message)

    async def _unsubscribe(self, name: str | None, params: Mapping[str, str]) -> None:
        assert self.connection is not None  # noqa: S101 - set before the loops start
        try:
            subscription = await _resolve(name, params, self.connection.viewer)
        except StreamError as error:
            await self._error(error.status, error.message)
            return
        self.hub.unsubscribe(self.connection, subscription)

    async def _error(self, status: int, message: str) -> None:
        await self._send_text(json.dumps({"error": message, "status": status}))

    async def _send_text(self, text: str) -> None:
        async with self._sending:
            await self.send({"type": "websocket.send", "text": text})
