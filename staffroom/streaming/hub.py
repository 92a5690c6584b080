"""The streaming hub of one web worker: its open connections, what each listens to, and the
loop that takes published messages off the broker and hands each connection its events.

One hub per process (uvicorn runs one event loop per worker). Connections register here
and subscribe to routing keys; the hub listens to the broker from its first connection on,
for the life of the process, so a reconnecting client never waits for the broker.

For each message the hub finds the connections listening to any of its keys, asks the
renderer (on one thread of its own: rendering reads the database) for the payload of each
distinct viewer among them, once per viewer whatever their number of connections, and
queues the payload on each connection. A connection's queue is bounded: a client that
stops reading while events keep coming is closed instead of buffered without end
(`Connection.offer`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.db import close_old_connections

from staffroom.streaming.messages import StreamMessage
from staffroom.streaming.streams import StreamError, Subscription, Viewer

logger = logging.getLogger(__name__)

Listen = Callable[[], AsyncIterator[StreamMessage]]
Render = Callable[[StreamMessage, Collection[int | None]], dict[int | None, str]]
Revalidate = Callable[[Collection[Viewer]], set[Viewer]]
Report = Callable[[dict[str, Any]], None]

# Why a connection was closed by the server (the transports tell the client where they can).
SLOW_CLIENT = "slow client"
ACCESS_ENDED = "access ended"
CLIENT_CLOSED = "client closed"
LISTEN_RETRY_SECONDS = 1.0


@dataclass(frozen=True)
class Outgoing:
    """One event for one subscription of a connection."""

    stream: tuple[str, ...]
    event: str
    payload: str


@dataclass(frozen=True)
class Limits:
    """Per web worker: connections per account, per client address, subscriptions per
    WebSocket, and events queued per connection before it counts as a slow client."""

    per_account: int = 50
    per_address: int = 2000
    subscriptions: int = 50
    outbox: int = 500


class Connection:
    """One streaming connection (a WebSocket or a server-sent events response)."""

    def __init__(self, viewer: Viewer, *, address: str, transport: str, outbox: int) -> None:
        self.viewer = viewer
        self.address = address
        self.transport = transport
        self.subscriptions: dict[frozenset[str], Subscription] = {}
        self.outbox: asyncio.Queue[Outgoing] = asyncio.Queue(maxsize=outbox)
        self.closed = asyncio.Event()
        self.close_reason: str | None = None

    def offer(self, item: Outgoing) -> None:
        """Queue `item`; a full queue means the client stopped reading: close it."""
        if self.closed.is_set():
            return
        try:
            self.outbox.put_nowait(item)
        except asyncio.QueueFull:
            self.close(SLOW_CLIENT)

    def close(self, reason: str) -> None:
        if not self.closed.is_set():
            self.close_reason = reason
            self.closed.set()

    async def next_item(self, timeout: float) -> Outgoing | None:
        """The next event, or None after `timeout` seconds without one (time for a
        heartbeat). Check `closed` after each call."""
        if not self.outbox.empty():
            return self.outbox.get_nowait()
        getter = asyncio.ensure_future(self.outbox.get())
        closing = asyncio.ensure_future(self.closed.wait())
        try:
            done, _ = await asyncio.wait(
                {getter, closing}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            closing.cancel()
            if not getter.done():
                getter.cancel()
        if getter in done and not getter.cancelled():
            return getter.result()
        return None


@dataclass
class LagMeter:
    """Time from publishing to the hub having queued the events, over recent messages."""

    recent: list[float] = field(default_factory=list)
    size: int = 200

    def record(self, seconds: float) -> None:
        self.recent.append(max(0.0, seconds))
        del self.recent[: -self.size]

    def summary(self) -> dict[str, float]:
        if not self.recent:
            return {"p50_ms": 0.0, "max_ms": 0.0}
        ordered = sorted(self.recent)
        return {
            "p50_ms": round(ordered[len(ordered) // 2] * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1),
        }


class Hub:
    """Connections of this process and the broker loop that feeds them."""

    def __init__(
        self,
        *,
        listen: Listen,
        render: Render,
        revalidate: Revalidate,
        limits: Limits | None = None,
        revalidate_every: float = 60.0,
        report: Report | None = None,
        report_every: float = 5.0,
    ) -> None:
        self.limits = limits or Limits()
        self._listen = listen
        self._render = render
        self._revalidate = revalidate
        self._revalidate_every = revalidate_every
        self._report = report
        self._report_every = report_every
        self._connections: set[Connection] = set()
        self._by_key: dict[str, dict[Connection, set[Subscription]]] = defaultdict(dict)
        self._per_account: Counter[int] = Counter()
        self._per_address: Counter[str] = Counter()
        self._tasks: list[asyncio.Task[None]] = []
        # One thread renders, so one database connection serves every payload of this worker.
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="streaming-render")
        self.lag = LagMeter()
        self.slow_clients_closed = 0
        self.messages_received = 0

    # --- Connections ----------------------------------------------------------------------

    def open(self, viewer: Viewer, *, address: str, transport: str) -> Connection:
        """Register a new connection, or StreamError 429 past the limits."""
        if self._per_account[viewer.account_id] >= self.limits.per_account:
            raise StreamError(429, "Too many streaming connections for this account")
        if self._per_address[address] >= self.limits.per_address:
            raise StreamError(429, "Too many streaming connections from this address")
        connection = Connection(
            viewer, address=address, transport=transport, outbox=self.limits.outbox
        )
        self._connections.add(connection)
        self._per_account[viewer.account_id] += 1
        self._per_address[address] += 1
        self._start()
        return connection

    def close(self, connection: Connection) -> None:
        """Forget a connection that ended (idempotent)."""
        if connection not in self._connections:
            return
        for subscription in list(connection.subscriptions.values()):
            self.unsubscribe(connection, subscription)
        self._connections.discard(connection)
        _decrement(self._per_account, connection.viewer.account_id)
        _decrement(self._per_address, connection.address)
        if connection.close_reason == SLOW_CLIENT:
            self.slow_clients_closed += 1

    def subscribe(self, connection: Connection, subscription: Subscription) -> None:
        """Listen to `subscription` (again: no effect), or StreamError 429 past the limit."""
        if subscription.keys in connection.subscriptions:
            return
        if len(connection.subscriptions) >= self.limits.subscriptions:
            raise StreamError(429, "Too many subscriptions on this connection")
        connection.subscriptions[subscription.keys] = subscription
        for key in subscription.keys:
            self._by_key[key].setdefault(connection, set()).add(subscription)

    def unsubscribe(self, connection: Connection, subscription: Subscription) -> None:
        """Stop listening to the stream `subscription` names (however its tag was spelled
        when subscribing)."""
        held_subscription = connection.subscriptions.pop(subscription.keys, None)
        if held_subscription is None:
            return
        subscription = held_subscription
        for key in subscription.keys:
            listeners = self._by_key.get(key)
            if listeners is None:
                continue
            held = listeners.get(connection)
            if held is not None:
                held.discard(subscription)
                if not held:
                    del listeners[connection]
            if not listeners:
                del self._by_key[key]

    # --- The loops ------------------------------------------------------------------------

    def _start(self) -> None:
        if self._tasks and not all(task.done() for task in self._tasks):
            return
        self._tasks = [
            asyncio.create_task(self._listen_forever(), name="streaming-listen"),
            asyncio.create_task(self._revalidate_forever(), name="streaming-revalidate"),
        ]
        if self._report is not None:
            self._tasks.append(asyncio.create_task(self._report_forever(), name="streaming-report"))

    async def _listen_forever(self) -> None:
        """Read the broker for the life of the process. The broker reconnects by itself;
        should its iteration fail anyway (its folder gone unwritable, say), it is started
        again after a pause rather than leaving every connection silent."""
        while True:
            try:
                async for message in self._listen():
                    self.messages_received += 1
                    try:
                        await self.dispatch(message)
                    except Exception:
                        logger.exception("Streaming: could not deliver a %s event", message.event)
            except Exception:
                logger.exception("Streaming: the broker failed; listening again shortly")
            await asyncio.sleep(LISTEN_RETRY_SECONDS)

    async def dispatch(self, message: StreamMessage) -> None:
        """Queue `message`'s payloads on every connection listening to one of its keys."""
        targets: dict[Connection, set[Subscription]] = {}
        for key in message.keys:
            for connection, subscriptions in self._by_key.get(key, {}).items():
                targets.setdefault(connection, set()).update(
                    sub for sub in subscriptions if key in sub.keys
                )
        if targets:
            viewers = {connection.viewer.account_id for connection in targets}
            loop = asyncio.get_running_loop()
            payloads = await loop.run_in_executor(
                self._executor, with_fresh_connections, self._render, message, viewers
            )
            for connection, subscriptions in targets.items():
                payload = payloads.get(connection.viewer.account_id)
                if payload is None:
                    continue
                for subscription in sorted(subscriptions, key=lambda sub: sub.name):
                    connection.offer(Outgoing(subscription.name, message.event, payload))
        self.lag.record(time.time() - message.sent_at)

    async def _revalidate_forever(self) -> None:
        """Close connections whose token was revoked or expired, whose session ended, or
        whose account was suspended since they opened (one query per check per worker)."""
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(self._revalidate_every)
            await self.revalidate_now(loop)

    async def revalidate_now(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        viewers = {connection.viewer for connection in self._connections}
        if not viewers:
            return
        loop = loop or asyncio.get_running_loop()
        try:
            live = await loop.run_in_executor(
                self._executor, with_fresh_connections, self._revalidate, viewers
            )
        except Exception:
            logger.exception("Streaming: could not check the open connections' tokens")
            return
        for connection in list(self._connections):
            if connection.viewer not in live:
                connection.close(ACCESS_ENDED)

    async def _report_forever(self) -> None:
        """Hand this worker's numbers to `report` (/healthz adds up every worker's)."""
        assert self._report is not None  # noqa: S101 - only started with one
        while True:
            try:
                self._report(self.stats())
            except Exception:
                logger.exception("Streaming: could not report this worker's numbers")
            await asyncio.sleep(self._report_every)

    def stats(self) -> dict[str, Any]:
        by_transport = Counter(connection.transport for connection in self._connections)
        return {
            "connections": len(self._connections),
            "websocket": by_transport["websocket"],
            "eventsource": by_transport["eventsource"],
            "subscribed_keys": len(self._by_key),
            "messages_received": self.messages_received,
            "slow_clients_closed": self.slow_clients_closed,
            "broker_lag": self.lag.summary(),
        }


def with_fresh_connections(function: Callable[..., Any], *args: Any) -> Any:
    """Run database work outside a request (the hub's thread, the transports' lookups) with
    the connection hygiene a request gets from its signals: a stale connection is replaced
    before, and the connection closed (or given back to the pool) after."""
    close_old_connections()
    try:
        return function(*args)
    finally:
        close_old_connections()


def _decrement(counter: Counter[Any], key: Any) -> None:
    counter[key] -= 1
    if counter[key] <= 0:
        del counter[key]
