"""The embedded broker: Unix datagram sockets in one folder, for installations without Redis.

Each listening web worker binds its own socket, `<pid>-<random>.sock`, in
`settings.STAFFROOM_STREAMING_SOCKET_DIR` (mode 0700: only the server's user may send).
`publish` sends each message to every socket there: a socket nobody is bound to any more (a
worker that died without cleaning up) is unlinked. The kernel queues only a few datagrams
per socket (`net.unix.max_dgram_qlen`, 10 by default), so a burst can find a busy worker's
queue full for a moment: the publisher then waits for room, up to SEND_WAIT_SECONDS, and
only after that drops the message, and sends that worker nothing more for
CONGESTED_SECONDS (drops at once), so a stuck worker never slows every publisher down.

A datagram must stay well under the 64 KiB the kernel takes in one piece, so a message
routed to many keys (a post fanned out to thousands of home feeds) is split into several
messages with the same event and ids, each with part of the keys (`split_for_datagrams`).
"""

from __future__ import annotations

import asyncio
import atexit
import dataclasses
import hashlib
import json
import logging
import os
import secrets
import socket
import stat
import tempfile
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path

from django.conf import settings

from staffroom.streaming.messages import MalformedMessage, StreamMessage

logger = logging.getLogger(__name__)

SOCKET_SUFFIX = ".sock"
# Linux's limit on a socket's path (sun_path, with its final NUL), and the longest name a
# listener gives its socket (`<pid>-<16 hex>.sock`, the slash before it included).
SOCKET_PATH_MAX = 108
SOCKET_NAME_MAX = 32
DATAGRAM_MAX_BYTES = 60_000
# Room for bursts while the worker's event loop is busy. A datagram in flight is charged to
# the sender's buffer until it is read, so both sides get one (the kernel caps them at
# net.core.rmem_max and net.core.wmem_max).
RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024
SEND_BUFFER_BYTES = 4 * 1024 * 1024
RECEIVE_CHUNK_BYTES = 65_536
# How long a publisher waits for room in a worker's full queue, and how long a worker that
# stayed full that long is then skipped.
SEND_WAIT_SECONDS = 0.25
CONGESTED_SECONDS = 5.0
# How often a listener checks that its socket file is still there (someone removed the
# folder or the file), binding a new one if not.
REBIND_CHECK_SECONDS = 30.0

_sender_lock = threading.Lock()
_sender: tuple[int, socket.socket] | None = None  # (pid that made it, socket)
_dropped = 0  # messages lost to full worker queues, in this process
_congested_until: dict[str, float] = {}  # socket path -> monotonic time


def socket_dir() -> Path:
    """The folder of the listeners' sockets, made (mode 0700) if missing.

    A socket's path is limited to SOCKET_PATH_MAX bytes: when the configured folder is too
    deep for its sockets' names (a data folder nested in a home directory), a short folder
    of this user's in the system's temporary folder stands in for it, named after the
    configured one, so every process of this server finds the same."""
    configured = Path(settings.STAFFROOM_STREAMING_SOCKET_DIR)
    if len(os.fsencode(configured)) + SOCKET_NAME_MAX < SOCKET_PATH_MAX:
        configured.mkdir(mode=0o700, parents=True, exist_ok=True)
        return configured
    digest = hashlib.sha256(os.fsencode(configured)).hexdigest()[:16]
    short = Path(tempfile.gettempdir()) / f"staffroom-{os.getuid()}-{digest}"
    short.mkdir(mode=0o700, exist_ok=True)
    _check_private(short)
    return short


def _check_private(folder: Path) -> None:
    """A folder in a shared place must be ours, a real folder, and closed to others: anyone
    could have made it first."""
    facts = folder.lstat()
    if (
        not stat.S_ISDIR(facts.st_mode)
        or facts.st_uid != os.getuid()
        or stat.S_IMODE(facts.st_mode) & 0o077
    ):
        raise PermissionError(f"{folder} is not a private folder of this user")


def split_for_datagrams(
    message: StreamMessage, limit: int = DATAGRAM_MAX_BYTES
) -> list[StreamMessage]:
    """`message` as one or more messages whose encodings each fit in `limit` bytes: the
    same event, ids and payload, the keys shared out in order."""
    if len(message.encode()) <= limit:
        return [message]
    fixed = len(dataclasses.replace(message, keys=()).encode())
    parts: list[StreamMessage] = []
    chunk: list[str] = []
    size = fixed
    for key in message.keys:
        key_size = len(json.dumps(key)) + 1  # its quoted form and a comma
        if chunk and size + key_size > limit:
            parts.append(dataclasses.replace(message, keys=tuple(chunk)))
            chunk, size = [], fixed
        chunk.append(key)
        size += key_size
    if chunk:
        parts.append(dataclasses.replace(message, keys=tuple(chunk)))
    return parts


def _sending_socket() -> socket.socket:
    """One sending socket per process (a forked child makes its own), which waits up to
    SEND_WAIT_SECONDS for room in a full queue."""
    global _sender
    with _sender_lock:
        if _sender is None or _sender[0] != os.getpid():
            sender = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            sender.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER_BYTES)
            sender.settimeout(SEND_WAIT_SECONDS)
            _sender = (os.getpid(), sender)
        return _sender[1]


def publish(message: StreamMessage) -> None:
    """Send `message` to every listener's socket; never raises, waits at most
    SEND_WAIT_SECONDS for a listener whose queue is full."""
    try:
        datagrams = [part.encode() for part in split_for_datagrams(message)]
        sender = _sending_socket()
        for path in socket_dir().glob(f"*{SOCKET_SUFFIX}"):
            _send_to(sender, path, datagrams)
    except Exception:
        logger.warning("Streaming message %s not published", message.event, exc_info=True)


def _send_to(sender: socket.socket, path: Path, datagrams: list[bytes]) -> None:
    global _dropped
    key = str(path)
    if _congested_until.get(key, 0.0) > time.monotonic():
        _dropped += 1
        return
    for datagram in datagrams:
        try:
            sender.sendto(datagram, key)
        except (ConnectionRefusedError, FileNotFoundError):
            # Nobody is bound to it: a worker that died without removing its socket.
            path.unlink(missing_ok=True)
            return
        except (TimeoutError, BlockingIOError):
            _congested_until[key] = time.monotonic() + CONGESTED_SECONDS
            _dropped += 1
            logger.warning(
                "Streaming listener %s is full: message dropped (%d dropped so far)",
                path.name,
                _dropped,
            )
            return
    _congested_until.pop(key, None)


def _bind() -> tuple[socket.socket, Path]:
    path = socket_dir() / f"{os.getpid()}-{secrets.token_hex(8)}{SOCKET_SUFFIX}"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER_BYTES)
    listener.bind(str(path))
    listener.setblocking(False)
    return listener, path


def _drain(listener: socket.socket, queue: asyncio.Queue[bytes]) -> None:
    """Move every waiting datagram into `queue` at once, so the kernel's queue (a few
    datagrams: net.unix.max_dgram_qlen) is free again before the hub reads them."""
    while True:
        try:
            queue.put_nowait(listener.recv(RECEIVE_CHUNK_BYTES))
        except (BlockingIOError, InterruptedError):
            return


class _Binding:
    """A listener's bound socket, its reader on the event loop, and its file."""

    def __init__(self, loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[bytes]) -> None:
        self.loop = loop
        self.socket, self.path = _bind()
        loop.add_reader(self.socket.fileno(), _drain, self.socket, queue)
        atexit.register(self.path.unlink, missing_ok=True)

    def close(self) -> None:
        self.loop.remove_reader(self.socket.fileno())
        self.socket.close()
        self.path.unlink(missing_ok=True)
        atexit.unregister(self.path.unlink)


async def listen() -> AsyncIterator[StreamMessage]:
    """Every message published on this machine, forever; the socket file goes when the
    iteration is closed (or at exit)."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    binding = _Binding(loop, queue)
    try:
        while True:
            try:
                raw = await asyncio.wait_for(queue.get(), timeout=REBIND_CHECK_SECONDS)
            except TimeoutError:
                if not binding.path.exists():
                    logger.warning("Streaming socket %s vanished: binding again", binding.path)
                    binding.close()
                    binding = _Binding(loop, queue)
                continue
            try:
                message = StreamMessage.decode(raw)
            except MalformedMessage as error:
                logger.warning("Malformed streaming message skipped: %s", error)
                continue
            yield message
    finally:
        binding.close()
