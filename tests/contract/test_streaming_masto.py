"""masto.js (npm `masto`, pinned in tests/contract/masto/package.json) streams from a real
`staffroom serve`: `tests/contract/masto/stream.mjs` subscribes to the reader's `user`
stream over the WebSocket the instance advertises (the token as Sec-WebSocket-Protocol,
as masto.js sends it) and prints each event as a JSON line; the test reads them while the
author posts, mentions the reader and deletes the post.

`make test-deps` installs masto.js with `npm ci` from the committed package-lock.json (the
suite itself never reaches the network). Without it this test fails and says so; set
STAFFROOM_SKIP_NODE=1 to skip it on a machine without Node.
"""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Iterator

import pytest

from tests.contract.conftest import ContractServer, RegisteredApp
from tests.contract.node_support import HARNESS, node_environment, require_node
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

SCRIPT_TIMEOUT_SECONDS = 280  # the script's own limit, inside the test's
STOP_TIMEOUT_SECONDS = 10


@pytest.fixture(scope="module")
def people(contract_server: ContractServer, contract_app: RegisteredApp) -> People:
    return make_people(contract_server, contract_app, "mjs")


class MastoStream:
    """`node stream.mjs` running, its JSON lines read into `log` (events) and `lines`."""

    def __init__(self, node: str, url: str, token: str) -> None:
        self.log = EventLog()
        self.lines: list[dict[str, object]] = []
        argv = [node, "stream.mjs", "--url", url, "--token", token, "--events", "1000"]
        argv += ["--timeout", str(SCRIPT_TIMEOUT_SECONDS)]
        self.process = subprocess.Popen(  # noqa: S603 - our own script
            argv,
            cwd=HARNESS,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=node_environment(),
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            line = json.loads(raw)
            self.lines.append(line)
            if line["type"] == "event":
                self.log.add(
                    Event(name=line["event"], payload=line["payload"], stream=line["stream"])
                )
            elif line["type"] == "error":
                self.log.add(Event(name="error", payload=line["message"], stream=None))

    def stop(self) -> str:
        """Stops the script; returns what it wrote to stderr."""
        if self.process.poll() is None:
            self.process.terminate()
        try:
            _out, err = self.process.communicate(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _out, err = self.process.communicate()
        self.reader.join(timeout=STOP_TIMEOUT_SECONDS)
        return err or ""


@pytest.fixture
def masto_stream(contract_server: ContractServer, people: People) -> Iterator[MastoStream]:
    node = require_node()
    url = str(people.reader.instance_v2().configuration.urls.streaming)
    offset = log_offset(contract_server)
    stream = MastoStream(node, url, str(people.reader.access_token))
    try:
        yield stream
    finally:
        stderr = stream.stop()
        assert not [line for line in stream.lines if line["type"] == "error"], (
            stream.lines,
            stderr,
        )
        assert_no_traceback_since(contract_server, offset)


def test_masto_js_user_stream_shows_a_post_a_mention_and_a_delete(
    masto_stream: MastoStream, people: People
):
    log = masto_stream.log
    wait_until_live(log, lambda: people.author.status_post("Probe for masto.js").id)
    assert masto_stream.lines[0] == {"type": "open"}

    post = people.author.status_post("Low-stakes quizzes, every Friday")
    update = log.wait_for(is_event("update", post.id), "masto.js: the author's post")
    assert update.stream == ["user"]
    assert update.payload["account"]["acct"] == people.author.me().acct

    mention = people.author.status_post(f"@{people.reader.me().acct} see you at the meetup")
    notification = log.wait_for(
        lambda e: e.name == "notification" and e.payload["type"] == "mention",
        "masto.js: the mention notification",
        timeout=EVENT_TIMEOUT_SECONDS,
    )
    assert str(notification.payload["status"]["id"]) == str(mention.id)

    people.author.status_delete(post.id)
    log.wait_for(is_event("delete", post.id), "masto.js: the delete")
    people.author.status_delete(mention.id)
