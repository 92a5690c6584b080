"""The web server's listening socket: shared between uvicorn's workers, and every
connection it accepts answers without Nagle's delay (TCP_NODELAY)."""

from __future__ import annotations

import asyncio
import pickle
import socket
from multiprocessing.reduction import ForkingPickler

import uvicorn.config

from staffroom.core.management.commands.serve import child_processes
from staffroom.core.uvicorn_main import _bind_socket, as_tcp_without_delay


def _as_a_worker_gets_it(sock: socket.socket) -> socket.socket:
    """The socket as uvicorn hands it to a spawned worker (pickled with its descriptor)."""
    return pickle.loads(ForkingPickler.dumps(sock))  # noqa: S301 - our own bytes


async def _nodelay_of_an_accepted_connection(listening: socket.socket) -> int:
    accepted: list[int] = []
    done = asyncio.Event()

    class Recorder(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            conn = transport.get_extra_info("socket")
            accepted.append(conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()
            done.set()

    loop = asyncio.get_running_loop()
    server = await loop.create_server(Recorder, sock=listening)
    port = listening.getsockname()[1]
    _, writer = await asyncio.open_connection("127.0.0.1", port)
    await asyncio.wait_for(done.wait(), timeout=5)
    writer.close()
    server.close()
    await server.wait_closed()
    return accepted[0]


def _uvicorn_socket() -> socket.socket:
    config = uvicorn.config.Config("staffroom.config.asgi:application", host="127.0.0.1", port=0)
    return _bind_socket(config)


def test_the_shared_socket_reads_as_tcp_with_nagle_off():
    sock = _uvicorn_socket()
    try:
        assert sock.proto == socket.IPPROTO_TCP
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        in_worker = _as_a_worker_gets_it(sock)
        assert in_worker.proto == socket.IPPROTO_TCP
        in_worker.close()
    finally:
        sock.close()


def test_a_worker_accepts_connections_with_nagle_off():
    sock = _uvicorn_socket()
    in_worker = _as_a_worker_gets_it(sock)
    sock.close()
    assert asyncio.run(_nodelay_of_an_accepted_connection(in_worker)) == 1


def test_uvicorns_own_socket_would_leave_nagle_on():
    """Why the launcher exists: the socket uvicorn binds for several workers reads as
    protocol 0, and asyncio then leaves Nagle's algorithm on for what it accepts."""
    config = uvicorn.config.Config("staffroom.config.asgi:application", host="127.0.0.1", port=0)
    plain = uvicorn.config.Config.bind_socket(config)
    in_worker = _as_a_worker_gets_it(plain)
    plain.close()
    assert asyncio.run(_nodelay_of_an_accepted_connection(in_worker)) == 0


def test_a_unix_socket_is_left_as_it_is():
    unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        assert as_tcp_without_delay(unix) is unix
    finally:
        unix.close()


def test_serve_runs_uvicorn_through_the_launcher():
    web = child_processes(host="127.0.0.1", port=8000, workers=2)[0]
    assert web.argv[1:4] == [
        "-m",
        "staffroom.core.uvicorn_main",
        "staffroom.config.asgi:application",
    ]
    assert "--workers" in web.argv
