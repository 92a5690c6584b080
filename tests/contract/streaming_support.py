"""What the streaming contract modules share: three accounts of their own per module, an
event collector that stock Mastodon.py's streams and the WebSocket tests both feed, and
`wait_until_live`, which proves a new stream is subscribed before a test relies on it.

A stream answers its headers (or completes its handshake) before the server has
necessarily subscribed it, and a post made in between would be missed. Rather than
sleeping, a test posts a probe that the stream must show and waits for it, posting another
one now and then until one arrives: from then on every event for the stream reaches it.

The accounts (created in the server's database with a `staffroom shell` script): `reader`
follows `author` and holds the streams; `stranger` is followed by no one, posts what the
reader must never see. Handles start with the module's prefix, so modules never share
accounts and the other contract modules' searches are unaffected.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from mastodon import Mastodon, StreamListener

from tests.contract.conftest import (
    SCOPES,
    ContractServer,
    RegisteredApp,
    new_client,
    run_on_server,
    sign_in_and_authorize,
)

# Events arrive within about a second (the fan-out job is picked up within 0.2 s); five
# times a slow CI machine's worst case.
EVENT_TIMEOUT_SECONDS = 20.0
LIVE_TIMEOUT_SECONDS = 40.0
PROBE_EVERY_SECONDS = 3.0
STREAMING_TEST_TIMEOUT_SECONDS = 300
PASSWORD = "contract-streaming-pw-long-enough"

_PEOPLE = """
import json, os
from staffroom.accounts.services import account_create
from staffroom.graph.services.follow import follow_create

spec = json.loads(os.environ["STREAMING_PEOPLE"])
made = {
    handle: account_create(
        email=f"{handle}@example.org", handle=handle, password=spec["password"], verified=True
    ).profile
    for handle in spec["handles"]
}
follow_create(actor=made[spec["reader"]], target=made[spec["author"]])
"""


@dataclass(frozen=True)
class People:
    reader: Mastodon
    author: Mastodon
    stranger: Mastodon
    handles: dict[str, str]  # role -> handle

    def sign_in(
        self, server: ContractServer, app: RegisteredApp, role: str, scopes: list[str]
    ) -> Mastodon:
        """A fresh client (its own token) of the account in `role`."""
        return _signed_in(server, app, self.handles[role], scopes)


def _signed_in(
    server: ContractServer, app: RegisteredApp, handle: str, scopes: list[str]
) -> Mastodon:
    api = new_client(server.base_url, app)
    url = api.auth_request_url(scopes=scopes, allow_http=True)
    code = sign_in_and_authorize(server.base_url, handle, PASSWORD, url)
    api.log_in(code=code, scopes=scopes, allow_http=True)
    return api


def make_people(server: ContractServer, app: RegisteredApp, prefix: str) -> People:
    """The module's reader, author and stranger, signed in with every scope."""
    handles = {role: f"{prefix}_{role}" for role in ("reader", "author", "stranger")}
    spec = {
        "handles": list(handles.values()),
        "reader": handles["reader"],
        "author": handles["author"],
        "password": PASSWORD,
    }
    run_on_server(server, ["shell", "-c", _PEOPLE], STREAMING_PEOPLE=json.dumps(spec))
    clients = {role: _signed_in(server, app, handle, SCOPES) for role, handle in handles.items()}
    return People(handles=handles, **clients)


@dataclass(frozen=True)
class Event:
    name: str
    payload: Any  # Mastodon.py's entity, or the decoded JSON payload
    stream: list[str] | None


def _id_of(payload: Any) -> str | None:
    if isinstance(payload, dict):
        return None if payload.get("id") is None else str(payload["id"])
    return None if payload is None else str(payload)


class EventLog:
    """Every event one stream (or socket) delivered, in order, safe to fill from the
    client's own thread while the test waits on it."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self._changed = threading.Condition()

    def add(self, event: Event) -> None:
        with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    def snapshot(self) -> list[Event]:
        with self._changed:
            return list(self.events)

    def wait_for(
        self, predicate: Callable[[Event], bool], what: str, timeout: float = EVENT_TIMEOUT_SECONDS
    ) -> Event:
        """The first event matching `predicate`, waiting up to `timeout` seconds for it."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = next((event for event in self.events if predicate(event)), None)
                if found is not None:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(e.name, _id_of(e.payload), e.stream) for e in self.events]
                    pytest.fail(f"no {what} within {timeout:.0f}s; the stream had: {seen}")
                self._changed.wait(left)

    def ids(self, name: str) -> set[str]:
        """The ids of the `name` events so far (a status's or notification's id; a delete's
        payload is the id itself)."""
        return {found for e in self.snapshot() if e.name == name and (found := _id_of(e.payload))}


def is_event(name: str, item_id: object) -> Callable[[Event], bool]:
    return lambda event: event.name == name and _id_of(event.payload) == str(item_id)


class CollectingListener(StreamListener):
    """A stock Mastodon.py listener that records every event it is given."""

    def __init__(self, log: EventLog) -> None:
        self.log = log

    def on_any_event(self, name: str, data: Any = None, for_stream: Any = None) -> None:
        self.log.add(Event(name=name, payload=data, stream=for_stream))

    def on_unknown_event(self, name: str, unknown_event: Any = None) -> None:
        pass  # already recorded by on_any_event; the default would end the stream


def wait_until_live(log: EventLog, post_probe: Callable[[], object]) -> None:
    """Post probes (each must show on the stream as an `update`) until one arrives."""
    deadline = time.monotonic() + LIVE_TIMEOUT_SECONDS
    probes: list[str] = []
    while time.monotonic() < deadline:
        probes.append(str(post_probe()))
        try:
            log.wait_for(
                lambda event: event.name == "update" and _id_of(event.payload) in probes,
                "probe",
                timeout=min(PROBE_EVERY_SECONDS, max(0.1, deadline - time.monotonic())),
            )
        except pytest.fail.Exception:
            continue
        return
    pytest.fail(f"the stream showed none of {len(probes)} probes in {LIVE_TIMEOUT_SECONDS:.0f}s")


def log_offset(server: ContractServer) -> int:
    return server.log_path.stat().st_size


def assert_no_traceback_since(server: ContractServer, offset: int) -> None:
    """The streaming API wrote no traceback or error (and the server answered no 500) since
    `offset` in its log. The log is shared with the task worker, whose RQ backend can log a
    traceback of its own for a job's status it read too late (not streaming's, and retried
    by the sweeper): only tracebacks through streaming code or the streaming loggers count."""
    with Path(server.log_path).open("rb") as log:
        log.seek(offset)
        written = log.read().decode(errors="replace")
    assert "staffroom/streaming/" not in written, written[-4000:]
    assert not re.search(r"Streaming(:| message| listener| broker lost)", written), written[-4000:]
    assert not re.search(r'" 5\d\d\b', written), written[-4000:]
