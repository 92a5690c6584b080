"""Many streaming connections held open by one asyncio process, each on one follower's
`user` stream: the first half over WebSocket (the `websockets` asyncio client, `stream=user`,
the token in the Authorization header), the rest over server-sent events
(`GET /api/v1/streaming/user` on a raw asyncio stream, chunked or not). Every `update` is
recorded with its status id and the CLOCK_MONOTONIC time it was read, which the benchmark
process compares with its own clock (the same system-wide clock).

The process is driven through a pipe by `StreamingClients`: it opens every connection,
answers ("count", status ids) with how many connections have seen any of them, and on
("stop",) sends back every arrival and exits. It also exits by itself at its deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import multiprocessing
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from websockets.asyncio.client import connect

HOST = "127.0.0.1"
OPEN_TIMEOUT_SECONDS = 60.0
OPENING_AT_ONCE = 50
STREAM_PATH = "/api/v1/streaming/user"


@dataclass
class Stream:
    transport: str  # "websocket" or "sse"
    opened: bool = False
    error: str = ""
    arrivals: dict[str, float] = field(default_factory=dict)  # status id -> monotonic time


Record = Callable[[str], None]


def _recorder(conn: Stream) -> Record:
    def record(payload: str) -> None:
        conn.arrivals.setdefault(str(json.loads(payload)["id"]), time.monotonic())

    return record


async def _websocket(port: int, token: str, conn: Stream, opened: asyncio.Event) -> None:
    url = f"ws://{HOST}:{port}/api/v1/streaming?stream=user"
    headers = {"Authorization": f"Bearer {token}"}
    record = _recorder(conn)
    async with connect(
        url,
        additional_headers=headers,
        proxy=None,
        open_timeout=OPEN_TIMEOUT_SECONDS,
        compression=None,
        ping_interval=None,  # the server pings; answering is automatic
        max_size=2**22,
    ) as ws:
        conn.opened = True
        opened.set()
        async for raw in ws:
            message = json.loads(raw)
            if message.get("event") == "update":
                record(message["payload"])


async def _http_head(reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
    status = int((await reader.readline()).split()[1])
    headers = {}
    while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers


async def _body(reader: asyncio.StreamReader, chunked: bool) -> AsyncIterator[bytes]:
    """The response body in pieces as they arrive (de-chunked)."""
    while True:
        if not chunked:
            piece = await reader.read(65536)
            if not piece:
                return
            yield piece
            continue
        size = int((await reader.readline()).split(b";")[0], 16)
        if size == 0:
            return
        piece = await reader.readexactly(size)
        await reader.readexactly(2)
        yield piece


async def _sse(port: int, token: str, conn: Stream, opened: asyncio.Event) -> None:
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection(HOST, port), OPEN_TIMEOUT_SECONDS
    )
    record = _recorder(conn)
    try:
        request = (
            f"GET {STREAM_PATH} HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
            f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n"
        )
        writer.write(request.encode())
        status, headers = await asyncio.wait_for(_http_head(reader), OPEN_TIMEOUT_SECONDS)
        if status != 200:
            raise ConnectionError(f"HTTP {status}")
        conn.opened = True
        opened.set()
        buffer = b""
        async for piece in _body(reader, "chunked" in headers.get("transfer-encoding", "")):
            buffer += piece.replace(b"\r\n", b"\n")
            *events, buffer = buffer.split(b"\n\n")
            for block in events:
                _dispatch_sse(block, record)
    finally:
        writer.close()


def _dispatch_sse(block: bytes, record: Record) -> None:
    event, data = "", []
    for line in block.decode().split("\n"):
        if line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].removeprefix(" "))
    if event == "update":
        record("\n".join(data))


async def _hold(
    open_one: Any, port: int, token: str, conn: Stream, gate: asyncio.Semaphore
) -> None:
    opened = asyncio.Event()
    async with gate:
        task = asyncio.ensure_future(open_one(port, token, conn, opened))
        waiter = asyncio.ensure_future(opened.wait())
        await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()
    try:
        await task
    except asyncio.CancelledError:
        raise
    except Exception as error:
        conn.error = f"{type(error).__name__}: {error}"[:200]


async def _serve_commands(pipe: Connection, conns: list[Stream], deadline: float) -> None:
    loop = asyncio.get_running_loop()
    while time.monotonic() < deadline:
        ready = await loop.run_in_executor(None, pipe.poll, 0.5)
        if not ready:
            continue
        command = pipe.recv()
        if command[0] == "count":
            wanted = set(command[1])
            pipe.send(sum(not wanted.isdisjoint(conn.arrivals) for conn in conns))
        elif command[0] == "status":
            pipe.send((sum(c.opened for c in conns), [c.error for c in conns if c.error][:5]))
        elif command[0] == "stop":
            return


async def _main(pipe: Connection, port: int, tokens: Sequence[str], deadline: float) -> None:
    half = len(tokens) // 2
    conns = [Stream("websocket" if i < half else "sse") for i in range(len(tokens))]
    gate = asyncio.Semaphore(OPENING_AT_ONCE)
    started = time.monotonic()
    tasks = [
        asyncio.ensure_future(
            _hold(_websocket if conn.transport == "websocket" else _sse, port, token, conn, gate)
        )
        for conn, token in zip(conns, tokens, strict=True)
    ]
    opening = asyncio.ensure_future(asyncio.wait(tasks, timeout=OPEN_TIMEOUT_SECONDS))
    while not all(c.opened or c.error for c in conns) and not opening.done():
        await asyncio.sleep(0.05)
    pipe.send(("opened", time.monotonic() - started))
    try:
        await _serve_commands(pipe, conns, deadline)
    finally:
        for task in tasks:
            task.cancel()
        with contextlib.suppress(Exception):
            await asyncio.gather(*tasks, return_exceptions=True)
        opening.cancel()
    pipe.send([(c.transport, c.opened, c.error, c.arrivals) for c in conns])


def _run(pipe: Connection, port: int, tokens: list[str], seconds: float) -> None:
    asyncio.run(_main(pipe, port, tokens, time.monotonic() + seconds))


@dataclass(frozen=True)
class Held:
    """One connection's outcome."""

    transport: str
    opened: bool
    error: str
    arrivals: dict[str, float]


class StreamingClients:
    """The connections, in a process of their own (`with` opens them all; leaving stops
    the process whatever happened)."""

    def __init__(self, port: int, tokens: Sequence[str], *, seconds: float) -> None:
        context = multiprocessing.get_context("spawn")
        self._pipe, child_end = context.Pipe()
        self._process = context.Process(
            target=_run, args=(child_end, port, list(tokens), seconds), daemon=True
        )
        self.seconds = seconds
        self.open_seconds = 0.0

    def __enter__(self) -> StreamingClients:
        self._process.start()
        if not self._pipe.poll(OPEN_TIMEOUT_SECONDS + 30):
            raise RuntimeError("the streaming clients did not report their connections")
        _name, self.open_seconds = self._pipe.recv()
        return self

    def _ask(self, *command: Any) -> Any:
        self._pipe.send(command)
        if not self._pipe.poll(30):
            raise RuntimeError(f"the streaming clients did not answer {command[0]}")
        return self._pipe.recv()

    def status(self) -> tuple[int, list[str]]:
        """(connections open, a few of the errors)."""
        opened, errors = self._ask("status")
        return int(opened), list(errors)

    def count(self, status_ids: Sequence[str]) -> int:
        """How many connections have seen any of `status_ids`."""
        return int(self._ask("count", list(status_ids)))

    def stop(self) -> list[Held]:
        self._pipe.send(("stop",))
        if not self._pipe.poll(60):
            raise RuntimeError("the streaming clients did not send their results")
        return [Held(*item) for item in self._pipe.recv()]

    def __exit__(self, *exc: object) -> None:
        self._process.join(timeout=10)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(timeout=5)
