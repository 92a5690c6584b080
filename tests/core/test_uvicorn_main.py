"""The web workers' listening sockets: one per worker on the same address (SO_REUSEPORT),
so the kernel spreads connections over the workers, and every connection answers without
Nagle's delay (TCP_NODELAY)."""

from __future__ import annotations

import asyncio
import socket

import pytest
import uvicorn.config

from staffroom.core.management.commands.serve import child_processes
from staffroom.core.uvicorn_main import _arguments, listening_socket, port_is_free, server_config


async def _accepted_by(listeners: list[socket.socket], connections: int) -> list[list[int]]:
    """Open `connections` connections to the shared port; per listener, the TCP_NODELAY
    value of each connection it accepted."""
    accepted: list[list[int]] = [[] for _ in listeners]
    arrived = asyncio.Event()
    servers = []
    loop = asyncio.get_running_loop()
    for index, sock in enumerate(listeners):

        class Recorder(asyncio.Protocol):
            slot = index

            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                conn = transport.get_extra_info("socket")
                accepted[self.slot].append(conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                if sum(len(each) for each in accepted) == connections:
                    arrived.set()

        servers.append(await loop.create_server(Recorder, sock=sock))
    port = listeners[0].getsockname()[1]
    writers = []
    for _ in range(connections):
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        writers.append(writer)
    await asyncio.wait_for(arrived.wait(), timeout=5)
    for writer in writers:
        writer.close()
    for server in servers:
        server.close()
        await server.wait_closed()
    return accepted


def test_each_accepted_connection_has_nagle_off():
    sock = listening_socket("127.0.0.1", 0)
    assert sock.proto == socket.IPPROTO_TCP
    [accepted] = asyncio.run(_accepted_by([sock], 3))
    assert accepted == [1, 1, 1]


@pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT"), reason="Linux and BSDs only")
def test_two_workers_share_one_port_and_both_get_connections():
    first = listening_socket("127.0.0.1", 0)
    port = first.getsockname()[1]
    second = listening_socket("127.0.0.1", port)
    per_worker = asyncio.run(_accepted_by([first, second], 64))
    # The kernel hashes each connection to a listener: 64 all on one would be 1 in 2**63.
    assert all(per_worker)
    assert sum(len(each) for each in per_worker) == 64


def test_a_port_in_use_is_seen_and_never_joined():
    taken = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        assert not port_is_free("127.0.0.1", port)
        with pytest.raises(OSError, match="in use"):
            listening_socket("127.0.0.1", port)
    finally:
        taken.close()
    assert port_is_free("127.0.0.1", port)


def test_uvicorns_shared_socket_would_leave_nagle_on():
    """Why workers bind their own sockets: the one uvicorn binds for `--workers` reads as
    protocol 0, and asyncio then leaves Nagle's algorithm on for what it accepts."""
    config = uvicorn.config.Config("staffroom.config.asgi:application", host="127.0.0.1", port=0)
    plain = config.bind_socket()
    [accepted] = asyncio.run(_accepted_by([plain], 1))
    assert accepted == [0]


def test_the_launcher_reads_the_options_serve_passes():
    proxies = ["--proxy-headers", "--forwarded-allow-ips", "10.0.0.1"]
    options = _arguments(["app:thing", "--host", "::1", "--port", "9000", *proxies])
    assert (options.app, options.host, options.port) == ("app:thing", "::1", 9000)
    assert options.proxy_headers
    assert options.forwarded_allow_ips == "10.0.0.1"
    assert not _arguments(["app:thing", "--no-proxy-headers"]).proxy_headers


def test_serve_starts_one_web_child_per_worker():
    children = child_processes(host="127.0.0.1", port=8000, workers=3)
    web = [child for child in children if child.name.startswith("web-")]
    assert [child.name for child in web] == ["web-1", "web-2", "web-3"]
    assert web[0].argv[1:4] == [
        "-m",
        "staffroom.core.uvicorn_main",
        "staffroom.config.asgi:application",
    ]
    assert "--workers" not in web[0].argv


def test_idle_connections_outlive_a_five_second_polling_client():
    """Mastodon.py polls a processing upload every 5 s; with uvicorn's 5 s keep-alive the
    client reused connections just as the server closed them (connection reset)."""
    config = server_config(_arguments(["staffroom.config.asgi:application", "--port", "0"]))
    assert config.timeout_keep_alive >= 15
