"""Slow clients (slowloris) are cut off: a request's line and headers have a deadline in the
web worker's HTTP protocol, a body that stalls or dribbles gets a 408 from the ASGI layer,
and a body that keeps coming at a normal pace is read to the end.

Each test runs a real uvicorn, configured by `server_config` exactly as `staffroom serve`'s
web workers are, on a free 127.0.0.1 port, with timeouts of a second or two."""

from __future__ import annotations

import argparse
import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from staffroom.core.asgi_limits import RequestBodyLimit
from staffroom.core.slow_clients import HeaderDeadlineH11Protocol
from staffroom.core.uvicorn_main import listening_socket, server_config

# Generous against a busy machine, far below the default deadlines.
WAIT_SECONDS = 8.0


async def _body_length_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Answers with the length of the body it read."""
    size = 0
    more = True
    while more:
        message = await receive()
        size += len(message.get("body", b""))
        more = message.get("more_body", False)
    body = json.dumps({"received": size}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


@contextlib.contextmanager
def _served() -> Iterator[int]:
    """A uvicorn in a thread on a free port, as serve's workers configure it; its port."""
    options = argparse.Namespace(
        app=RequestBodyLimit(_body_length_app),
        host="127.0.0.1",
        port=0,
        lifespan="off",
        proxy_headers=False,
        forwarded_allow_ips=None,
    )
    config = server_config(options)
    config.log_level = "warning"
    server = uvicorn.Server(config)
    sock = listening_socket("127.0.0.1", 0)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + WAIT_SECONDS
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield sock.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(timeout=WAIT_SECONDS)
        sock.close()


def _connect(port: int) -> socket.socket:
    client = socket.create_connection(("127.0.0.1", port), timeout=WAIT_SECONDS)
    client.settimeout(WAIT_SECONDS)
    return client


def _read_response(client: socket.socket) -> bytes:
    """One whole response (the app's body is one JSON object) on a kept-alive connection."""
    received = b""
    while not received.endswith(b"}"):
        chunk = client.recv(65536)
        assert chunk, "closed before the response ended"
        received += chunk
    return received


def _read_until_closed(client: socket.socket) -> tuple[bytes, float]:
    """Everything the server sends until it closes the connection, and when it closed."""
    received = b""
    while True:
        chunk = client.recv(65536)
        if not chunk:
            return received, time.monotonic()
        received += chunk


@pytest.fixture
def short_timeouts(settings):
    settings.STAFFROOM_HEADER_TIMEOUT_SECONDS = 1
    settings.STAFFROOM_BODY_IDLE_TIMEOUT_SECONDS = 1
    settings.STAFFROOM_BODY_TIMEOUT_SECONDS = 3
    settings.STAFFROOM_MAX_REQUEST_BYTES = 1024 * 1024


def test_serve_workers_use_the_protocol_with_the_header_deadline(settings):
    settings.STAFFROOM_HEADER_TIMEOUT_SECONDS = 7
    options = argparse.Namespace(
        app="x:y", host="127.0.0.1", port=1, lifespan="off", proxy_headers=False,
        forwarded_allow_ips=None,
    )  # fmt: skip
    protocol = server_config(options).http
    assert isinstance(protocol, type)
    assert issubclass(protocol, HeaderDeadlineH11Protocol)
    assert protocol.header_timeout == 7


@pytest.mark.parametrize(
    "sent",
    [
        b"",  # connects and says nothing
        b"GET /api/v1/instance HT",  # half a request line
        b"GET / HTTP/1.1\r\nHost: a\r\nX-Slow: ",  # headers never finished
    ],
)
def test_a_request_whose_headers_never_finish_is_closed_at_the_deadline(short_timeouts, sent):
    with _served() as port, _connect(port) as client:
        started = time.monotonic()
        client.sendall(sent)
        _, closed_at = _read_until_closed(client)
        # The deadline is one second; closed well before uvicorn's 30 s keep-alive.
        assert 0.8 <= closed_at - started < 5


def test_a_kept_alive_connection_gets_the_same_deadline_for_its_next_request(short_timeouts):
    with _served() as port, _connect(port) as client:
        client.sendall(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        assert _read_response(client).startswith(b"HTTP/1.1 200")
        time.sleep(0.5)  # idle in keep-alive
        started = time.monotonic()
        client.sendall(b"GET / HTTP/1.1\r\nHo")
        _, closed_at = _read_until_closed(client)
        assert closed_at - started < 5


def test_headers_sent_slowly_but_within_the_deadline_are_served(short_timeouts, settings):
    # 0.75 s of headers against a 5 s deadline: a busy machine cannot make it a refusal.
    settings.STAFFROOM_HEADER_TIMEOUT_SECONDS = 5
    with _served() as port, _connect(port) as client:
        for part in (b"GET / HTTP/1.1\r\n", b"Host: a\r\n", b"Connection: close\r\n\r\n"):
            client.sendall(part)
            time.sleep(0.25)
        answer, _ = _read_until_closed(client)
    assert answer.startswith(b"HTTP/1.1 200")


def test_a_kept_alive_idle_connection_is_left_to_the_keep_alive_timeout(short_timeouts):
    with _served() as port, _connect(port) as client:
        client.sendall(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        assert _read_response(client).startswith(b"HTTP/1.1 200")
        time.sleep(2)  # twice the header deadline, idle between requests
        client.sendall(b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        answer, _ = _read_until_closed(client)
    assert answer.startswith(b"HTTP/1.1 200")


def _post_head(size: int) -> bytes:
    return (
        f"POST /api/v1/statuses HTTP/1.1\r\nHost: a\r\nContent-Type: application/octet-stream"
        f"\r\nContent-Length: {size}\r\n\r\n"
    ).encode()


def test_a_body_that_stops_coming_is_answered_408_and_closed(short_timeouts):
    with _served() as port, _connect(port) as client:
        client.sendall(_post_head(100) + b"x" * 10)
        started = time.monotonic()
        answer, closed_at = _read_until_closed(client)
    assert answer.startswith(b"HTTP/1.1 408")
    assert b"too slowly" in answer
    assert closed_at - started < 5


def test_a_body_dribbled_past_the_total_deadline_is_answered_408(short_timeouts):
    with _served() as port, _connect(port) as client:
        client.sendall(_post_head(1000))
        started = time.monotonic()
        answer = b""
        with contextlib.suppress(OSError):  # the server may close while we still send
            for _ in range(40):  # a byte every half second: never idle for a second
                client.sendall(b"x")
                time.sleep(0.5)
                client.setblocking(False)
                with contextlib.suppress(BlockingIOError):
                    answer += client.recv(65536)
                client.setblocking(True)
                if answer:
                    break
        elapsed = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 408")
    # The three-second total (with room for a busy machine), not the 20 s the client wanted.
    assert 2.5 <= elapsed < 15


def test_an_upload_that_keeps_coming_is_read_to_the_end(short_timeouts, settings):
    # Gaps of a quarter second against a 2 s idle limit, 2 s in all against 15 s.
    settings.STAFFROOM_BODY_IDLE_TIMEOUT_SECONDS = 2
    settings.STAFFROOM_BODY_TIMEOUT_SECONDS = 15
    size = 8 * 4096
    with _served() as port, _connect(port) as client:
        client.sendall(_post_head(size))
        for _ in range(8):
            client.sendall(b"x" * 4096)
            time.sleep(0.25)
        answer = _read_response(client)
    assert answer.startswith(b"HTTP/1.1 200")
    assert json.dumps({"received": size}).encode() in answer
