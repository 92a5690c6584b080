"""The streaming API's two transports, in-process: authentication, Mastodon's errors, the
event formats, subscriptions on one WebSocket, limits, and connections closed when their
token ends. The broker and the renderer are fakes here; tests/contract/test_streaming.py
runs the real ones in a real `staffroom serve`."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from asgiref.testing import ApplicationCommunicator
from django.conf import settings
from django.test import Client

from staffroom.graph.models import PurposeList
from staffroom.streaming.asgi import StreamingApp
from staffroom.streaming.hub import Hub, Limits
from staffroom.streaming.messages import StreamMessage
from tests.factories import make_profile, make_user
from tests.streaming.conftest import FakeBroker, make_hub, token_for

pytestmark = pytest.mark.django_db(transaction=True)
TIMEOUT = 30  # seconds; generous: a thread does the database work, on a busy machine


def _http_scope(path: str, query: str = "", headers: list[tuple[bytes, bytes]] | None = None):
    return {
        "type": "http",
        "method": "GET",
        "path": path,
        "query_string": query.encode(),
        "headers": headers or [],
        "client": ("127.0.0.1", 50000),
    }


def _ws_scope(query: str = "", subprotocols: list[str] | None = None, **extra: Any):
    return {
        "type": "websocket",
        "path": "/api/v1/streaming",
        "query_string": query.encode(),
        "headers": [],
        "subprotocols": subprotocols or [],
        "client": ("127.0.0.1", 50001),
        "extensions": {"websocket.http.response": {}},
        **extra,
    }


async def _response(app: StreamingApp, scope: dict[str, Any]) -> tuple[int, bytes]:
    """A complete (non-streaming) HTTP answer."""
    communicator = ApplicationCommunicator(app, scope)
    await communicator.send_input({"type": "http.request", "body": b""})
    start = await communicator.receive_output(TIMEOUT)
    body = await communicator.receive_output(TIMEOUT)
    return start["status"], body["body"]


def _run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def _app(hub: Hub) -> StreamingApp:
    return StreamingApp(lambda: hub)


# --- Server-sent events --------------------------------------------------------------------


def test_health_answers_ok(broker: FakeBroker):
    status, body = _run(_response(_app(make_hub(broker)), _http_scope("/api/v1/streaming/health")))
    assert (status, body) == (200, b"OK")


@pytest.mark.parametrize(
    ("query", "error"),
    [("", "Missing access token"), ("access_token=not-a-token", "Invalid access token")],
)
def test_a_stream_without_a_valid_token_is_refused_with_401(broker, query, error):
    scope = _http_scope("/api/v1/streaming/user", query)
    status, body = _run(_response(_app(make_hub(broker)), scope))
    assert status == 401
    assert json.loads(body) == {"error": error}


def test_an_unknown_stream_path_is_404(broker):
    user = make_user(handle="ada")
    scope = _http_scope("/api/v1/streaming/everything", f"access_token={token_for(user)}")
    status, body = _run(_response(_app(make_hub(broker)), scope))
    assert (status, json.loads(body)) == (404, {"error": "Not found"})


def test_only_get_is_allowed(broker):
    scope = {**_http_scope("/api/v1/streaming/user"), "method": "POST"}
    status, _ = _run(_response(_app(make_hub(broker)), scope))
    assert status == 405


def test_a_token_without_read_statuses_may_not_open_the_user_stream(broker):
    """SECURITY-PLAN A-4."""
    user = make_user(handle="ada")
    token = token_for(user, "read:accounts")
    scope = _http_scope("/api/v1/streaming/user", f"access_token={token}")
    status, body = _run(_response(_app(make_hub(broker)), scope))
    assert status == 401
    assert json.loads(body) == {"error": "Access token does not have the required scopes"}


def test_a_hashtag_stream_needs_its_tag(broker):
    user = make_user(handle="ada")
    scope = _http_scope("/api/v1/streaming/hashtag", f"access_token={token_for(user)}")
    status, body = _run(_response(_app(make_hub(broker)), scope))
    assert (status, json.loads(body)) == (400, {"error": "Missing tag name parameter"})


def test_someone_elses_list_cannot_be_streamed(broker):
    owner = make_profile("listkeeper")
    other = make_user(handle="other")
    theirs = PurposeList.objects.create(owner=owner, title="Science")
    query = f"access_token={token_for(other)}&list={theirs.pk}"
    status, body = _run(
        _response(_app(make_hub(broker)), _http_scope("/api/v1/streaming/list", query))
    )
    assert status == 401
    assert json.loads(body) == {"error": "Not authorized to stream this list"}


async def _open_sse(app: StreamingApp, path: str, query: str, headers=None):
    communicator = ApplicationCommunicator(app, _http_scope(path, query, headers))
    await communicator.send_input({"type": "http.request", "body": b""})
    start = await communicator.receive_output(TIMEOUT)
    return communicator, start


async def _next_chunk(communicator: ApplicationCommunicator) -> dict[str, Any]:
    return await communicator.receive_output(TIMEOUT)


def test_the_user_stream_sends_events_in_mastodons_event_stream_format(broker):
    user = make_user(handle="ada")
    account = user.profile.pk
    token = token_for(user)

    async def scenario() -> list[bytes]:
        app = _app(make_hub(broker))
        communicator, start = await _open_sse(
            app, "/api/v1/streaming/user", f"access_token={token}"
        )
        assert start["status"] == 200
        assert (b"content-type", b"text/event-stream; charset=utf-8") in start["headers"]
        chunks = [(await _next_chunk(communicator))["body"]]
        await broker.publish(StreamMessage(event="update", keys=(f"user:{account}",), status_id=7))
        await broker.publish(StreamMessage(event="update", keys=("user:1",), status_id=8))
        await broker.publish(
            StreamMessage(event="delete", keys=(f"user:{account}",), status_id=9, payload="9")
        )
        chunks.append((await _next_chunk(communicator))["body"])
        chunks.append((await _next_chunk(communicator))["body"])
        await communicator.send_input({"type": "http.disconnect"})
        await communicator.wait(TIMEOUT)
        return chunks

    first, update, delete = _run(scenario())
    assert first == b":)\n\n"
    payload = json.dumps({"for": account, "status": 7})
    assert update == f"event: update\ndata: {payload}\n\n".encode()
    # Another account's event never arrived in between.
    assert delete.startswith(b"event: delete\n")


def test_a_token_with_read_statuses_only_gets_no_notifications_on_the_user_stream(broker):
    user = make_user(handle="ada")
    account = user.profile.pk
    token = token_for(user, "read:statuses")

    async def scenario() -> bytes:
        app = _app(make_hub(broker))
        communicator, _ = await _open_sse(app, "/api/v1/streaming/user", f"access_token={token}")
        await _next_chunk(communicator)
        await broker.publish(
            StreamMessage(
                event="notification", keys=(f"notification:{account}",), notification_id=1
            )
        )
        await broker.publish(StreamMessage(event="update", keys=(f"user:{account}",), status_id=2))
        chunk = (await _next_chunk(communicator))["body"]
        await communicator.send_input({"type": "http.disconnect"})
        await communicator.wait(TIMEOUT)
        return chunk

    assert _run(scenario()).startswith(b"event: update\n")


def test_the_web_uis_session_cookie_opens_a_same_origin_event_stream(broker):
    user = make_user(handle="ada")
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    async def scenario(fetch_site: str) -> int:
        headers = [(b"cookie", cookie.encode()), (b"sec-fetch-site", fetch_site.encode())]
        communicator, start = await _open_sse(
            _app(make_hub(broker)), "/api/v1/streaming/user", "", headers
        )
        if start["status"] == 200:
            await communicator.send_input({"type": "http.disconnect"})
        await communicator.wait(TIMEOUT)
        return start["status"]

    assert _run(scenario("same-origin")) == 200
    assert _run(scenario("cross-site")) == 401


def test_connections_past_the_per_account_limit_are_refused_with_429(broker):
    user = make_user(handle="ada")
    token = token_for(user)

    async def scenario() -> tuple[int, int]:
        app = _app(make_hub(broker, Limits(per_account=1)))
        first, start = await _open_sse(app, "/api/v1/streaming/user", f"access_token={token}")
        _, refused = await _open_sse(app, "/api/v1/streaming/public", f"access_token={token}")
        await first.send_input({"type": "http.disconnect"})
        await first.wait(TIMEOUT)
        return start["status"], refused["status"]

    assert _run(scenario()) == (200, 429)


def test_a_stream_ends_once_its_token_is_revoked(broker):
    """SECURITY-PLAN A-6."""
    user = make_user(handle="ada")
    token = token_for(user)
    hub = make_hub(broker)

    async def scenario() -> dict[str, Any]:
        communicator, _ = await _open_sse(
            _app(hub), "/api/v1/streaming/user", f"access_token={token}"
        )
        await _next_chunk(communicator)
        await asyncio.to_thread(_revoke_all, user)
        await hub.revalidate_now()
        last = await _next_chunk(communicator)
        await communicator.wait(TIMEOUT)
        return last

    assert _run(scenario()) == {"type": "http.response.body", "body": b"", "more_body": False}
    assert hub.stats()["connections"] == 0


def _revoke_all(user) -> None:
    from oauth2_provider.models import get_access_token_model

    for token in get_access_token_model().objects.filter(user=user):
        token.revoke()


# --- WebSocket ---------------------------------------------------------------------------


async def _ws_open(
    app: StreamingApp, scope: dict[str, Any]
) -> tuple[ApplicationCommunicator, dict[str, Any]]:
    communicator = ApplicationCommunicator(app, scope)
    await communicator.send_input({"type": "websocket.connect"})
    return communicator, await communicator.receive_output(TIMEOUT)


async def _ws_json(communicator: ApplicationCommunicator) -> dict[str, Any]:
    message = await communicator.receive_output(TIMEOUT)
    assert message["type"] == "websocket.send", message
    return json.loads(message["text"])


async def _ws_send(communicator: ApplicationCommunicator, data: Any) -> None:
    text = data if isinstance(data, str) else json.dumps(data)
    await communicator.send_input({"type": "websocket.receive", "text": text})


async def _ws_settled(communicator: ApplicationCommunicator) -> None:
    """Wait until the server has handled every message sent before: it answers messages in
    order, so the answer to a bad one comes after them."""
    await _ws_send(communicator, {"type": "subscribe", "stream": "no-such-stream"})
    assert (await _ws_json(communicator))["error"] == "Unknown stream type"


def test_a_websocket_without_a_token_is_refused_with_mastodons_401(broker):
    async def scenario() -> tuple[dict[str, Any], dict[str, Any]]:
        communicator, start = await _ws_open(_app(make_hub(broker)), _ws_scope())
        body = await communicator.receive_output(TIMEOUT)
        return start, body

    start, body = _run(scenario())
    assert start["type"] == "websocket.http.response.start"
    assert start["status"] == 401
    assert json.loads(body["body"]) == {"error": "Missing access token"}


def test_several_streams_share_one_websocket_and_unsubscribing_stops_one(broker):
    user = make_user(handle="ada")
    account = user.profile.pk
    token = token_for(user)

    async def scenario() -> list[dict[str, Any]]:
        communicator, accepted = await _ws_open(
            _app(make_hub(broker)), _ws_scope("stream=user", subprotocols=[token])
        )
        # The token came as the subprotocol, which Mastodon echoes.
        assert accepted == {"type": "websocket.accept", "subprotocol": token}
        await _ws_send(communicator, {"type": "subscribe", "stream": "hashtag", "tag": "EdChat"})
        received = []
        await _ws_settled(communicator)
        await broker.publish(StreamMessage(event="update", keys=("hashtag:edchat",), status_id=1))
        received.append(await _ws_json(communicator))
        await broker.publish(StreamMessage(event="update", keys=(f"user:{account}",), status_id=2))
        received.append(await _ws_json(communicator))
        await _ws_send(communicator, {"type": "unsubscribe", "stream": "hashtag", "tag": "edchat"})
        await _ws_settled(communicator)
        await broker.publish(StreamMessage(event="update", keys=("hashtag:edchat",), status_id=3))
        await broker.publish(StreamMessage(event="update", keys=(f"user:{account}",), status_id=4))
        received.append(await _ws_json(communicator))
        await communicator.send_input({"type": "websocket.disconnect", "code": 1000})
        await communicator.wait(TIMEOUT)
        return received

    hashtag, user_event, after = _run(scenario())
    assert hashtag["stream"] == ["hashtag", "EdChat"]
    assert json.loads(hashtag["payload"]) == {"for": account, "status": 1}
    assert user_event["stream"] == ["user"]
    assert json.loads(user_event["payload"])["status"] == 2
    assert json.loads(after["payload"])["status"] == 4  # status 3 never came


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ({"type": "subscribe", "stream": "everything"}, (400, "Unknown stream type")),
        (
            {"type": "subscribe", "stream": "list", "list": "12345"},
            (401, "Not authorized to stream this list"),
        ),
        ("{not json", (400, "Invalid message: expected a JSON object")),
        ([1, 2], (400, "Invalid message: expected a JSON object")),
    ],
)
def test_a_bad_subscribe_message_gets_an_error_message_and_the_socket_stays_open(
    broker, message, error
):
    user = make_user(handle="ada")
    token = token_for(user)

    async def scenario() -> tuple[dict[str, Any], dict[str, Any]]:
        communicator, _ = await _ws_open(_app(make_hub(broker)), _ws_scope(f"access_token={token}"))
        await _ws_send(communicator, message)
        answer = await _ws_json(communicator)
        await _ws_send(communicator, {"type": "subscribe", "stream": "everything"})
        still_open = await _ws_json(communicator)
        await communicator.send_input({"type": "websocket.disconnect", "code": 1000})
        await communicator.wait(TIMEOUT)
        return answer, still_open

    answer, still_open = _run(scenario())
    assert answer == {"error": error[1], "status": error[0]}
    assert still_open["status"] == 400


def test_subscriptions_past_the_limit_are_refused(broker):
    user = make_user(handle="ada")
    token = token_for(user)

    async def scenario() -> list[dict[str, Any]]:
        communicator, _ = await _ws_open(
            _app(make_hub(broker, Limits(subscriptions=3))), _ws_scope(f"access_token={token}")
        )
        for number in range(10):
            await _ws_send(
                communicator, {"type": "subscribe", "stream": "hashtag", "tag": f"t{number}"}
            )
        errors = [await _ws_json(communicator) for _ in range(7)]
        await communicator.send_input({"type": "websocket.disconnect", "code": 1000})
        await communicator.wait(TIMEOUT)
        return errors

    errors = _run(scenario())
    assert errors == [{"error": "Too many subscriptions on this connection", "status": 429}] * 7


def test_a_websocket_never_accepts_the_session_cookie(broker):
    user = make_user(handle="ada")
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    async def scenario() -> dict[str, Any]:
        scope = _ws_scope(headers=[(b"cookie", cookie.encode())])
        communicator, start = await _ws_open(_app(make_hub(broker)), scope)
        await communicator.receive_output(TIMEOUT)
        return start

    assert _run(scenario())["status"] == 401


def test_a_bad_stream_in_the_url_opens_the_socket_with_an_error_message(broker):
    user = make_user(handle="ada")
    token = token_for(user)

    async def scenario() -> tuple[dict[str, Any], dict[str, Any]]:
        communicator, accepted = await _ws_open(
            _app(make_hub(broker)), _ws_scope(f"access_token={token}&stream=hashtag")
        )
        error = await _ws_json(communicator)
        await communicator.send_input({"type": "websocket.disconnect", "code": 1000})
        await communicator.wait(TIMEOUT)
        return accepted, error

    accepted, error = _run(scenario())
    assert accepted["type"] == "websocket.accept"
    assert error == {"error": "Missing tag name parameter", "status": 400}
