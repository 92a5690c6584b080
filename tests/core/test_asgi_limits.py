"""Upload size limits (SECURITY-PLAN U-4): upload routes take bigger bodies than the rest,
declared sizes are refused by the Django middleware, and the bytes that actually come are
counted by the ASGI wrapper before Django reads them."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from django.test import override_settings

from staffroom.config.asgi import SyncChainASGIHandler, application
from staffroom.core.asgi_limits import RequestBodyLimit
from staffroom.core.middleware import request_limit

# Small limits keep the tests fast: 1 KB for every route, 4 KB for uploads.
limits = override_settings(STAFFROOM_MAX_REQUEST_BYTES=1024, STAFFROOM_MEDIA_MAX_REQUEST_BYTES=4096)


@limits
@pytest.mark.parametrize(
    ("path", "limit"),
    [
        ("/api/v1/media", 4096),
        ("/api/v2/media", 4096),
        ("/api/v1/media/123", 4096),  # under an upload route
        ("/media-upload", 4096),
        ("/media-upload/", 4096),
        ("/api/v1/mediafile", 1024),  # a prefix of the name is not the route
        ("/api/v1/statuses", 1024),
        ("/accounts/signup", 1024),
        ("/media/attachments/x.mp4", 1024),
    ],
)
def test_each_path_has_its_limit(path, limit):
    assert request_limit(path) == limit


# --- Declared sizes, through Django's middleware ----------------------------------------------


def _declare(client, path: str, size: int):
    return client.generic(
        "POST", path, data=b"x", content_type="application/octet-stream",
        CONTENT_LENGTH=str(size),
    )  # fmt: skip


@limits
@pytest.mark.django_db
def test_an_upload_route_takes_a_body_another_route_refuses(client):
    refused = _declare(client, "/api/v1/statuses", 2048)
    assert refused.status_code == 413
    assert refused.json()["error"] == (
        "The request is too large. The most this server accepts here is 1 KB."
    )
    # A real 2 KB body (the client declares its length), under the upload limit.
    within = client.generic(
        "POST", "/api/v2/media", data=b"x" * 2048, content_type="application/octet-stream"
    )
    assert within.status_code != 413
    too_big = _declare(client, "/api/v2/media", 4097)
    assert too_big.status_code == 413
    assert "The most this server accepts here is 4 KB." in too_big.json()["error"]


@pytest.mark.django_db
def test_the_default_limits_are_named_in_megabytes(client, settings):
    assert settings.STAFFROOM_MEDIA_MAX_REQUEST_BYTES == 101 * 1024 * 1024
    refused = _declare(client, "/api/v1/media", 102 * 1024 * 1024)
    assert refused.status_code == 413
    assert "accepts here is 101 MB." in refused.json()["error"]
    page = _declare(client, "/accounts/signup", 17 * 1024 * 1024)
    assert page.status_code == 413
    assert "accepts here is 16 MB." in page.content.decode()


# --- Counted bytes, in front of Django --------------------------------------------------------


class Inner:
    """An ASGI app that reads the whole body, as Django does, then answers 200."""

    def __init__(self) -> None:
        self.calls = 0
        self.body = b""
        self.after_body: list[dict[str, Any]] = []

    async def __call__(self, scope, receive, send) -> None:
        self.calls += 1
        more = True
        while more:
            message = await receive()
            self.body += message.get("body", b"")
            more = message.get("more_body", False)
        self.after_body.append(await receive())
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def _scope(path: str, headers: list[tuple[bytes, bytes]] | None = None) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *(headers or [(b"transfer-encoding", b"chunked")])],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }


def _run(
    app, scope, chunks: list[bytes], *, then_wait: bool = False
) -> tuple[int | None, dict[bytes, bytes], bytes, int]:
    """Send `chunks` as the body, then a disconnect (or, with `then_wait`, nothing: the
    client waits for its answer). Answers the status, headers and body sent back, and how
    many body messages the app asked for."""
    sent: list[dict[str, Any]] = []
    asked = 0

    async def receive() -> dict[str, Any]:
        nonlocal asked
        if asked >= len(chunks):
            if then_wait:
                await asyncio.Event().wait()  # cancelled by the handler once it has answered
            return {"type": "http.disconnect"}
        asked += 1
        more = asked < len(chunks)
        return {"type": "http.request", "body": chunks[asked - 1], "more_body": more}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = [m for m in sent if m["type"] == "http.response.start"]
    status = start[0]["status"] if start else None
    headers = dict(start[0]["headers"]) if start else {}
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, headers, body, asked


@limits
def test_a_chunked_body_past_the_limit_is_refused_before_the_app_sees_it():
    inner = Inner()
    status, headers, body, asked = _run(
        RequestBodyLimit(inner), _scope("/api/v1/statuses"), [b"x" * 400] * 10
    )
    assert status == 413
    assert inner.calls == 0
    assert asked == 3  # it stopped reading at 1200 bytes, past the 1 KB limit
    assert json.loads(body) == {
        "error": "The request is too large. The most this server accepts here is 1 KB."
    }
    assert headers[b"Content-Type"] == b"application/json"
    assert headers[b"X-Content-Type-Options"] == b"nosniff"
    assert headers[b"content-length"] == str(len(body)).encode()
    assert headers[b"connection"] == b"close"


@limits
def test_an_upload_route_counts_against_its_own_limit():
    inner = Inner()
    status, _, body, asked = _run(
        RequestBodyLimit(inner), _scope("/api/v1/media"), [b"y" * 1000] * 5
    )
    assert (status, inner.calls, asked) == (413, 0, 5)
    assert b"accepts here is 4 KB." in body


@limits
def test_a_body_within_the_limit_reaches_the_app_whole():
    inner = Inner()
    chunks = [bytes([n]) * 1000 for n in range(4)]
    status, _, body, _ = _run(RequestBodyLimit(inner), _scope("/api/v1/media"), chunks)
    assert (status, body, inner.calls) == (200, b"ok", 1)
    assert inner.body == b"".join(chunks)
    # After the body, the app hears what the client does next (here: it left).
    assert inner.after_body == [{"type": "http.disconnect"}]


@limits
def test_a_body_past_the_memory_threshold_is_replayed_from_a_file(settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100
    settings.STAFFROOM_MEDIA_MAX_REQUEST_BYTES = 2 * 1024 * 1024
    chunks = [bytes([n % 256]) * 65536 for n in range(20)]  # 1.25 MB
    inner = Inner()
    status, _, _, _ = _run(RequestBodyLimit(inner), _scope("/api/v1/media"), chunks)
    assert status == 200
    assert inner.body == b"".join(chunks)


@limits
def test_an_empty_body_passes_through():
    inner = Inner()
    status, _, _, _ = _run(RequestBodyLimit(inner), _scope("/api/v1/statuses", []), [b""])
    assert (status, inner.calls, inner.body) == (200, 1, b"")


@limits
def test_a_declared_length_past_the_limit_is_refused_without_reading():
    inner = Inner()
    headers = [(b"content-length", b"5000")]
    status, _, _, asked = _run(
        RequestBodyLimit(inner), _scope("/api/v1/media", headers), [b"z" * 5000]
    )
    assert (status, inner.calls, asked) == (413, 0, 0)


@limits
def test_a_refused_page_gets_the_html_error_page():
    status, headers, body, _ = _run(
        RequestBodyLimit(Inner()), _scope("/accounts/signup"), [b"x" * 2048]
    )
    assert status == 413
    assert headers[b"Content-Type"].startswith(b"text/html")
    assert "The most this server accepts here is 1 KB." in body.decode()


@limits
def test_a_client_that_leaves_mid_body_reaches_nothing():
    inner = Inner()
    sent: list[Mapping[str, Any]] = []
    messages: Iterator[dict[str, Any]] = iter(
        [
            {"type": "http.request", "body": b"x" * 10, "more_body": True},
            {"type": "http.disconnect"},
        ]
    )

    async def receive() -> dict[str, Any]:
        return next(messages)

    async def send(message: Mapping[str, Any]) -> None:
        sent.append(message)

    asyncio.run(RequestBodyLimit(inner)(_scope("/api/v1/media"), receive, send))
    assert (inner.calls, sent) == (0, [])


def test_other_scopes_pass_straight_through():
    seen: list[str] = []

    async def inner(scope, receive, send) -> None:
        seen.append(scope["type"])

    async def never() -> dict[str, Any]:
        raise AssertionError("a lifespan scope has no body to count")

    async def send(message: Mapping[str, Any]) -> None:
        return None

    asyncio.run(RequestBodyLimit(inner)({"type": "lifespan"}, never, send))
    assert seen == ["lifespan"]


def test_the_served_application_counts_bodies():
    """Django sits behind the body limit; the streaming API beside it reads no bodies."""
    assert isinstance(application.django_app, RequestBodyLimit)
    assert isinstance(application.django_app.app, SyncChainASGIHandler)


@limits
@pytest.mark.django_db(transaction=True)
def test_django_behind_the_wrapper_reads_the_replayed_body():
    """Through the real handler: a chunked body within the limit is read by Django (an app
    registers), one past it never reaches Django."""
    handler = RequestBodyLimit(SyncChainASGIHandler())
    payload = json.dumps({"client_name": "Chunked", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob"})
    chunked = [(b"content-type", b"application/json"), (b"transfer-encoding", b"chunked")]
    halves = [payload.encode()[:20], payload.encode()[20:]]
    status, _, body, asked = _run(handler, _scope("/api/v1/apps", chunked), halves, then_wait=True)
    assert (status, asked) == (200, 2)
    assert json.loads(body)["name"] == "Chunked"
    over = [b"{}", b" " * 2000]
    status, _, body, _ = _run(handler, _scope("/api/v1/apps", chunked), over, then_wait=True)
    assert status == 413
    assert "1 KB" in json.loads(body)["error"]
