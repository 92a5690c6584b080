"""Where a streamed post's time goes: when its home fan-out finished (the post is in every
follower's stored feed, counted by SQL from a thread of the benchmark), how long the
server's renderer takes for one web worker's share of the viewers (timed here, on the same
database, with the server's own function), and the server's streaming numbers from
`/healthz` (connections, broker lag)."""

from __future__ import annotations

import http.client
import json
import statistics
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from bench.server import HOST

POLL_SECONDS = 0.02
GIVE_UP_SECONDS = 60.0

Query = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]


class FanoutWatch:
    """Notes, for each status handed to `watch`, the CLOCK_MONOTONIC time its fan-out
    reached `followers` home feeds (not counting the author's own)."""

    def __init__(
        self, connect: Callable[[], Query], *, author_profile: int, followers: int
    ) -> None:
        self._connect = connect  # called in the thread: SQLite connections stay in theirs
        self._author, self._followers = author_profile, followers
        self._pending: dict[str, float] = {}  # status id -> give up at
        self.done_at: dict[str, float] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> FanoutWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def watch(self, status_id: str) -> None:
        with self._lock:
            self._pending[status_id] = time.monotonic() + GIVE_UP_SECONDS

    def _run(self) -> None:
        query = self._connect()
        while not self._stop.is_set():
            with self._lock:
                pending = dict(self._pending)
            for status_id, give_up_at in pending.items():
                count = query(
                    "SELECT COUNT(*) FROM timelines_feedentry WHERE status_id = %s"
                    " AND list_id IS NULL AND owner_id <> %s",
                    [int(status_id), self._author],
                )[0][0]
                now = time.monotonic()
                if count >= self._followers or now > give_up_at:
                    with self._lock:
                        del self._pending[status_id]
                        if count >= self._followers:
                            self.done_at[status_id] = now
            self._stop.wait(POLL_SECONDS)


def server_streaming_numbers(port: int) -> dict[str, Any]:
    """The `streaming` part of `/healthz` (empty when the server has none)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", "/healthz")
        body = json.loads(conn.getresponse().read() or b"{}")
    except (OSError, ValueError):
        return {}
    finally:
        conn.close()
    found = body.get("streaming") if isinstance(body, dict) else None
    return found if isinstance(found, dict) else {}


def render_ms(status_id: str, viewer_ids: Sequence[int], *, repeats: int = 3) -> float:
    """The median time of `streaming.render.render_payloads` for an `update` of the status
    to `viewer_ids`, as a web worker's hub calls it (Django must be set up here)."""
    from django.db import connections

    from staffroom.streaming.messages import UPDATE, StreamMessage
    from staffroom.streaming.render import render_payloads

    message = StreamMessage(event=UPDATE, keys=(), status_id=int(status_id))
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        payloads = render_payloads(message, viewer_ids)
        times.append((time.perf_counter() - started) * 1000)
        if len(payloads) != len(viewer_ids):
            raise RuntimeError(f"rendered {len(payloads)} payloads for {len(viewer_ids)} viewers")
    connections.close_all()
    return statistics.median(times)
