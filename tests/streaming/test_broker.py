"""The broker: what one process publishes reaches every web worker's listener."""

from __future__ import annotations

import asyncio
import socket
import stat
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings
from django.test import override_settings

from staffroom.streaming import broker
from staffroom.streaming.broker import embedded, redis_channel
from staffroom.streaming.messages import DELETE, UPDATE, StreamMessage

WAIT_SECONDS = 5.0


def _message(status_id: int, keys: tuple[str, ...] = ("public",)) -> StreamMessage:
    return StreamMessage(event=UPDATE, keys=keys, status_id=status_id)


async def _next(stream: AsyncIterator[StreamMessage]) -> StreamMessage:
    return await asyncio.wait_for(anext(stream), WAIT_SECONDS)


async def _listening(stream: AsyncIterator[StreamMessage]) -> asyncio.Task[StreamMessage]:
    """Start reading `stream` and return once it listens: the embedded broker binds on the
    iteration's first step; Redis has subscribed when the server counts one more
    subscriber on the channel (waited for, however slow the machine)."""
    before = _redis_subscribers() if settings.REDIS_URL else 0
    task = asyncio.ensure_future(_next(stream))
    await asyncio.sleep(0.05)
    deadline = time.monotonic() + WAIT_SECONDS
    while settings.REDIS_URL and _redis_subscribers() <= before:
        assert time.monotonic() < deadline, "the Redis listener never subscribed"
        await asyncio.sleep(0.05)
    return task


def _redis_subscribers() -> int:
    channel = redis_channel.channel_name()
    client = redis.Redis.from_url(settings.REDIS_URL)
    try:
        counts: dict[Any, int] = dict(client.pubsub_numsub(channel))
        return int(counts.get(channel.encode(), 0))
    finally:
        client.close()


def _publish_from_thread(message: StreamMessage) -> Awaitable[None]:
    return asyncio.to_thread(broker.publish, message)


def _run(test: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(test())  # type: ignore[arg-type]


# --- Embedded -----------------------------------------------------------------------------


@pytest.fixture
def socket_dir() -> Iterator[Path]:
    # A short path: a Unix socket's name is limited to about 100 bytes.
    directory = Path(tempfile.mkdtemp(prefix="srs-"))
    directory.rmdir()  # the broker makes it, with its mode
    with override_settings(REDIS_URL="", STAFFROOM_STREAMING_SOCKET_DIR=directory):
        yield directory
    for leftover in directory.glob("*"):
        leftover.unlink()
    if directory.exists():
        directory.rmdir()


def test_two_listeners_both_receive_a_message_published_from_another_thread(socket_dir):
    async def scenario() -> None:
        first, second = broker.listen(), broker.listen()
        waiting = [await _listening(first), await _listening(second)]
        assert len(list(socket_dir.glob("*.sock"))) == 2
        await _publish_from_thread(_message(7))
        received = [await task for task in waiting]
        assert [message.status_id for message in received] == [7, 7]
        assert received[0].keys == ("public",)
        await first.aclose()  # type: ignore[attr-defined]
        await second.aclose()  # type: ignore[attr-defined]

    _run(scenario)
    assert not list(socket_dir.glob("*.sock"))
    assert (socket_dir.stat().st_mode & 0o777) == 0o700


def test_publish_removes_the_socket_of_a_dead_listener(socket_dir):
    socket_dir.mkdir(mode=0o700, exist_ok=True)
    leftover = socket_dir / "99999-dead.sock"
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    dead.bind(str(leftover))
    dead.close()  # the file stays, nobody is bound to it
    assert leftover.exists()
    broker.publish(_message(1))
    assert not leftover.exists()


def test_publish_without_any_listener_does_nothing(socket_dir):
    broker.publish(_message(1))  # no folder content, no error


def test_a_message_for_many_keys_arrives_complete_across_datagrams(socket_dir):
    keys = tuple(f"user:{1_000_000_000_000 + number}" for number in range(12_000))
    message = StreamMessage(event=DELETE, keys=keys, status_id=5, payload="5")
    parts = embedded.split_for_datagrams(message)
    assert len(parts) > 1
    assert all(len(part.encode()) <= embedded.DATAGRAM_MAX_BYTES for part in parts)

    async def scenario() -> None:
        stream = broker.listen()
        task = await _listening(stream)
        await _publish_from_thread(message)
        received = [await task]
        while sum(len(part.keys) for part in received) < len(keys):
            received.append(await _next(stream))
        assert {part.status_id for part in received} == {5}
        assert {part.payload for part in received} == {"5"}
        assert tuple(key for part in received for key in part.keys) == keys
        await stream.aclose()  # type: ignore[attr-defined]

    _run(scenario)


def test_a_malformed_datagram_is_skipped(socket_dir, caplog):
    async def scenario() -> None:
        stream = broker.listen()
        task = await _listening(stream)
        (path,) = socket_dir.glob("*.sock")
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as raw:
            raw.sendto(b"not json", str(path))
            raw.sendto(b'{"event": "nonsense"}', str(path))
        await _publish_from_thread(_message(3))
        assert (await task).status_id == 3
        await stream.aclose()  # type: ignore[attr-defined]

    _run(scenario)
    assert "Malformed streaming message" in caplog.text


def test_a_full_listener_loses_messages_without_blocking_the_publisher(socket_dir, caplog):
    socket_dir.mkdir(mode=0o700, exist_ok=True)
    path = socket_dir / "1-idle.sock"
    idle = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    idle.bind(str(path))  # bound, never read
    try:
        for number in range(2000):
            broker.publish(_message(number))
        assert "is full: message dropped" in caplog.text
        assert path.exists()  # a live listener keeps its socket
    finally:
        idle.close()


def test_a_burst_larger_than_the_kernels_queue_waits_for_a_briefly_busy_listener(
    socket_dir, monkeypatch
):
    """The kernel queues about ten datagrams per socket: a worker whose loop is busy for a
    moment must still get a burst of forty (the publisher waits for room). The wait is
    stretched to 2 s here, 40 times the listener's pause, so a busy machine that is slow to
    wake the reading thread cannot make the test fail; the shipped wait is 0.25 s."""
    monkeypatch.setattr(embedded, "SEND_WAIT_SECONDS", 2.0)
    monkeypatch.setattr(embedded, "_sender", None)  # a sending socket with that wait
    socket_dir.mkdir(mode=0o700, exist_ok=True)
    path = socket_dir / "1-busy.sock"
    busy = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    busy.bind(str(path))
    received: list[bytes] = []

    def read_after_a_pause() -> None:
        time.sleep(0.05)
        busy.settimeout(5)
        while len(received) < 40:
            received.append(busy.recv(65_536))

    reader = threading.Thread(target=read_after_a_pause)
    reader.start()
    try:
        for number in range(40):
            broker.publish(_message(number))
        reader.join(timeout=10)
    finally:
        busy.close()
    assert [StreamMessage.decode(raw).status_id for raw in received] == list(range(40))


# --- Redis --------------------------------------------------------------------------------

needs_redis = pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set")


@needs_redis
def test_the_channel_names_the_database_and_the_domain():
    with override_settings(STAFFROOM_DOMAIN="one.example"):
        assert redis_channel.channel_name("redis://127.0.0.1:6379/3") == (
            "staffroom:streaming:3:one.example"
        )
        assert redis_channel.channel_name("redis://127.0.0.1:6379") == (
            "staffroom:streaming:0:one.example"
        )


@needs_redis
def test_redis_messages_arrive_and_survive_a_killed_connection():
    async def scenario() -> None:
        stream = broker.listen()
        task = await _listening(stream)
        await _publish_from_thread(_message(11))
        assert (await task).status_id == 11

        # Only this process's listener: the Redis is shared with other test processes
        # (a contract server's broker among them), whose connections must stay up.
        client = redis.Redis.from_url(settings.REDIS_URL)
        ours = [
            entry["id"]
            for entry in client.client_list(_type="pubsub")
            if entry.get("name") == redis_channel.listener_name()
        ]
        assert ours
        killed = sum(client.client_kill_filter(_id=client_id) for client_id in ours)
        assert killed >= 1
        # The listener reconnects by itself (after its backoff); keep publishing until a
        # message gets through, without the iteration ending.
        waiting = asyncio.ensure_future(_next_within(stream, 10.0))
        for number in range(100):
            if waiting.done():
                break
            await _publish_from_thread(_message(1000 + number))
            await asyncio.sleep(0.2)
        message = await waiting
        assert message.status_id is not None
        assert message.status_id >= 1000
        await stream.aclose()  # type: ignore[attr-defined]

    _run(scenario)


async def _next_within(stream: AsyncIterator[StreamMessage], seconds: float) -> StreamMessage:
    return await asyncio.wait_for(anext(stream), seconds)


@needs_redis
def test_a_redis_publish_that_fails_is_dropped(caplog):
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        broker.publish(_message(1))
    assert "not published" in caplog.text


def test_a_folder_too_deep_for_a_socket_path_is_stood_in_for_by_a_short_private_one(
    settings, tmp_path
):
    deep = tmp_path / ("nested-folder-" * 8) / "run" / "streaming"
    settings.STAFFROOM_STREAMING_SOCKET_DIR = deep
    settings.REDIS_URL = ""  # the embedded broker
    folder = embedded.socket_dir()
    assert folder != deep
    assert len(str(folder)) + embedded.SOCKET_NAME_MAX < embedded.SOCKET_PATH_MAX
    assert embedded.socket_dir() == folder  # every process finds the same one
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700

    async def scenario() -> StreamMessage:
        stream = broker.listen()
        task = await _listening(stream)
        await _publish_from_thread(_message(21))
        received = await task
        await stream.aclose()  # type: ignore[attr-defined]
        return received

    assert asyncio.run(scenario()).status_id == 21


def test_a_stand_in_folder_someone_else_could_read_is_refused(settings, tmp_path):
    deep = tmp_path / ("nested-folder-" * 8) / "elsewhere"
    settings.STAFFROOM_STREAMING_SOCKET_DIR = deep
    folder = embedded.socket_dir()
    folder.chmod(0o755)
    try:
        with pytest.raises(PermissionError):
            embedded.socket_dir()
    finally:
        folder.chmod(0o700)
