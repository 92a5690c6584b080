"""The streaming API's WebSocket transport against a real `staffroom serve`, with the
`websockets` library's sync client: the token in each place Mastodon accepts it, several
streams on one socket (subscribe, receive, unsubscribe), and bad input answered with
Mastodon's errors (a refused handshake or an `{"error", "status"}` message), never a 500 and
never a traceback in the server's log. The same bad input over server-sent events too.

The socket's URL is the one the instance advertises (`configuration.urls.streaming`), as an
app finds it."""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from tests.contract.conftest import (
    SCOPES,
    ContractServer,
    RegisteredApp,
    local_session,
)
from tests.contract.streaming_support import (
    EVENT_TIMEOUT_SECONDS,
    STREAMING_TEST_TIMEOUT_SECONDS,
    Event,
    EventLog,
    People,
    assert_no_traceback_since,
    is_event,
    log_offset,
    make_people,
    wait_until_live,
)

# Each test waits on the server several times (each wait bounded): more room than the
# suite's 120 s, for a slow machine.
pytestmark = [pytest.mark.contract, pytest.mark.timeout(STREAMING_TEST_TIMEOUT_SECONDS)]

OPEN_TIMEOUT_SECONDS = 10.0


@pytest.fixture(scope="module")
def people(contract_server: ContractServer, contract_app: RegisteredApp) -> People:
    return make_people(contract_server, contract_app, "ws")


@pytest.fixture(scope="module")
def socket_url(people: People) -> str:
    advertised = str(people.reader.instance_v2().configuration.urls.streaming)
    assert advertised.startswith("ws://127.0.0.1:"), advertised
    return advertised.rstrip("/") + "/api/v1/streaming"


@pytest.fixture(autouse=True)
def no_traceback(contract_server: ContractServer) -> Iterator[None]:
    offset = log_offset(contract_server)
    yield
    assert_no_traceback_since(contract_server, offset)


def _url(base: str, **query: Any) -> str:
    return f"{base}?{urlencode(query)}" if query else base


def _event_of(raw: str | bytes) -> Event:
    message = json.loads(raw)
    if "error" in message:
        return Event(name="error", payload=message, stream=None)
    payload = message.get("payload")
    if isinstance(payload, str) and payload[:1] in ("{", "["):
        payload = json.loads(payload)
    return Event(name=message["event"], payload=payload, stream=message.get("stream"))


@contextmanager
def socket(url: str, **options: Any) -> Iterator[tuple[ClientConnection, EventLog]]:
    """An open socket whose messages a thread of its own records; closed on the way out."""
    log = EventLog()
    with connect(url, proxy=None, open_timeout=OPEN_TIMEOUT_SECONDS, **options) as ws:

        def read() -> None:
            try:
                for raw in ws:
                    log.add(_event_of(raw))
            except ConnectionClosed:
                pass

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        try:
            yield ws, log
        finally:
            ws.close()
            reader.join(timeout=OPEN_TIMEOUT_SECONDS)


def on_stream(name: str, item_id: object, stream: list[str]) -> Any:
    matches = is_event(name, item_id)
    return lambda event: matches(event) and event.stream == stream


def _subscribe(ws: ClientConnection, kind: str, stream: str, **params: str) -> None:
    ws.send(json.dumps({"type": kind, "stream": stream, **params}))


def test_websocket_several_streams_on_one_socket(people: People, socket_url: str):
    tag = f"ws{secrets.token_hex(4)}"
    headers = {"Authorization": f"Bearer {people.reader.access_token}"}
    with socket(socket_url, additional_headers=headers) as (ws, log):
        _subscribe(ws, "subscribe", "user")
        wait_until_live(log, lambda: people.author.status_post("Probe, user").id)
        _subscribe(ws, "subscribe", "hashtag", tag=tag)
        # The stranger is followed by no one: only the hashtag stream shows this probe.
        wait_until_live(log, lambda: people.stranger.status_post(f"Probe #{tag}").id)

        both = people.author.status_post(f"Think, pair, share #{tag}")
        log.wait_for(on_stream("update", both.id, ["user"]), "the post on the user stream")
        log.wait_for(on_stream("update", both.id, ["hashtag", tag]), "the post on the hashtag")

        _subscribe(ws, "unsubscribe", "hashtag", tag=tag)
        after = people.author.status_post(f"Cold calling, kindly #{tag}")
        log.wait_for(on_stream("update", after.id, ["user"]), "the later post, user stream")
        # A hashtag event is published when the post is, before the home fan-out: had the
        # subscription stayed, it would be here by now.
        hashtag_ids = {str(e.payload["id"]) for e in log.snapshot() if e.stream == ["hashtag", tag]}
        assert str(after.id) not in hashtag_ids
        assert str(both.id) in hashtag_ids


@pytest.mark.parametrize("where", ["authorization header", "query parameter", "subprotocol"])
def test_websocket_token_where_mastodon_accepts_it(people: People, socket_url: str, where: str):
    token = str(people.reader.access_token)
    options: dict[str, Any] = {}
    query = {"stream": "user"}
    match where:
        case "authorization header":
            options["additional_headers"] = {"Authorization": f"Bearer {token}"}
        case "query parameter":
            query["access_token"] = token
        case "subprotocol":
            options["subprotocols"] = [token]
    with socket(_url(socket_url, **query), **options) as (ws, log):
        if where == "subprotocol":
            assert ws.subprotocol == token  # browsers and `ws` refuse a socket without it
        wait_until_live(log, lambda: people.author.status_post(f"Probe, {where}").id)
        post = people.author.status_post(f"Token by {where}")
        event = log.wait_for(on_stream("update", post.id, ["user"]), "the post")
        assert event.payload["account"]["acct"] == people.author.me().acct


# --- Bad input ------------------------------------------------------------------------------


def refusal(url: str, **options: Any) -> tuple[int, str]:
    """(status, message) of a refused socket: the handshake's HTTP answer, or the error
    message the server sent on the socket it accepted."""
    try:
        with connect(url, proxy=None, open_timeout=OPEN_TIMEOUT_SECONDS, **options) as ws:
            raw = ws.recv(timeout=EVENT_TIMEOUT_SECONDS)
    except InvalidStatus as error:
        response = error.response
        return response.status_code, response.body.decode(errors="replace") if response.body else ""
    except ConnectionClosed as closed:
        pytest.fail(f"closed with no error message: {closed}")
    except TimeoutError:
        pytest.fail(f"the server accepted {url} and said nothing")
    message = json.loads(raw)
    assert set(message) >= {"error", "status"}, message
    return int(message["status"]), str(message["error"])


@pytest.fixture(scope="module")
def bad_tokens(
    people: People, contract_server: ContractServer, contract_app: RegisteredApp
) -> dict[str, str]:
    revoked = people.sign_in(contract_server, contract_app, "reader", SCOPES)
    revoked_token = str(revoked.access_token)
    revoked.revoke_access_token(allow_http=True)  # POST /oauth/revoke
    narrow = people.sign_in(contract_server, contract_app, "reader", ["read:accounts"])
    return {"revoked": revoked_token, "without read:statuses": str(narrow.access_token)}


@pytest.fixture(scope="module")
def others_list(people: People) -> Iterator[str]:
    made = people.author.list_create(f"Not yours {secrets.token_hex(3)}")
    yield str(made.id)
    people.author.list_delete(made.id)


def _bad_cases(people: People, bad: dict[str, str], others_list: str) -> dict[str, Any]:
    """name -> (token or None, query, statuses Mastodon answers it with)."""
    reader = str(people.reader.access_token)
    narrow = bad["without read:statuses"]
    return {
        "no token": (None, {"stream": "user"}, {401}),
        "revoked token": (bad["revoked"], {"stream": "user"}, {401}),
        "token without read:statuses": (narrow, {"stream": "user"}, {401, 403}),
        "someone else's list": (reader, {"stream": "list", "list": others_list}, {401, 403, 404}),
        "unknown stream": (reader, {"stream": "nonsense"}, {400, 404}),
    }  # fmt: skip


BAD_CASES = [
    "no token",
    "revoked token",
    "token without read:statuses",
    "someone else's list",
    "unknown stream",
]


@pytest.mark.parametrize("case", BAD_CASES)
def test_websocket_refuses_bad_input_with_mastodon_errors(
    people: People, socket_url: str, bad_tokens: dict[str, str], others_list: str, case: str
):
    token, query, expected = _bad_cases(people, bad_tokens, others_list)[case]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    status, message = refusal(_url(socket_url, **query), additional_headers=headers)
    assert status in expected, (status, message)
    assert message


@pytest.mark.parametrize("case", ["someone else's list", "unknown stream"])
def test_websocket_refuses_a_bad_subscription_and_keeps_the_socket(
    people: People, socket_url: str, bad_tokens: dict[str, str], others_list: str, case: str
):
    _token, query, expected = _bad_cases(people, bad_tokens, others_list)[case]
    headers = {"Authorization": f"Bearer {people.reader.access_token}"}
    with socket(socket_url, additional_headers=headers) as (ws, log):
        params = {key: value for key, value in query.items() if key != "stream"}
        _subscribe(ws, "subscribe", query["stream"], **params)
        error = log.wait_for(lambda event: event.name == "error", "an error message")
        assert error.payload["status"] in expected, error.payload
        # The socket is still good for what the reader may read.
        _subscribe(ws, "subscribe", "user")
        wait_until_live(log, lambda: people.author.status_post("Probe after the error").id)


SSE_PATHS = {"user": "/api/v1/streaming/user", "list": "/api/v1/streaming/list"}


@pytest.mark.parametrize("case", BAD_CASES)
def test_server_sent_events_refuse_bad_input_with_mastodon_errors(
    contract_server: ContractServer,
    people: People,
    bad_tokens: dict[str, str],
    others_list: str,
    case: str,
):
    token, query, expected = _bad_cases(people, bad_tokens, others_list)[case]
    stream = query.pop("stream")
    path = SSE_PATHS.get(stream, f"/api/v1/streaming/{stream}")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with local_session().get(
        contract_server.base_url + path,
        params=query,
        headers=headers,
        stream=True,
        timeout=OPEN_TIMEOUT_SECONDS,
    ) as response:
        assert response.status_code in expected, (response.status_code, response.text[:500])
        assert "error" in response.json()
