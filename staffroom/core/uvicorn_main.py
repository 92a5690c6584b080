"""`python -m staffroom.core.uvicorn_main APP --host H --port P ...`: one uvicorn web worker
on its own listening socket, which `staffroom serve --workers N` starts N times.

Each worker binds the address with `SO_REUSEPORT`, so the kernel spreads new connections
over the workers. uvicorn's own `--workers` shares one socket instead, and whichever worker
wakes first accepts every connection waiting: eight keep-alive connections opened together
all landed on one worker about as often as not, and the feed benchmark measured one
worker's throughput (60 requests/s) instead of two (106). uvicorn's shared socket also
reads as protocol 0, and asyncio then leaves Nagle's algorithm on for what it accepts: a
response's body waited for the client's delayed acknowledgement, 40 ms, on every request
(a trivial route took 48 ms with two workers, 6 ms with one). The socket made here reads as
TCP and has `TCP_NODELAY` set, which Linux passes on to each connection it accepts
(BENCHMARKS.md, "Feeds: what limits them").

Options are uvicorn's names for the few that `serve` uses.
"""

from __future__ import annotations

import argparse
import logging
import socket
import sys
from collections.abc import Sequence

import uvicorn
from django.conf import settings

from staffroom.core.slow_clients import header_deadline_protocol


def listening_socket(host: str, port: int, *, reuse_port: bool = True) -> socket.socket:
    """A bound TCP socket for `host`:`port` (IPv4 or IPv6), Nagle's algorithm off, shared
    with the other workers through `SO_REUSEPORT` where the platform has it."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuse_port and hasattr(socket, "SO_REUSEPORT"):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(False)
    return sock


def port_is_free(host: str, port: int) -> bool:
    """Whether nothing listens on `host`:`port`, asked without `SO_REUSEPORT`, so that a
    server already there (ours or another) is never joined by mistake."""
    try:
        listening_socket(host, port, reuse_port=False).close()
    except OSError:
        return False
    return True


def _arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m staffroom.core.uvicorn_main")
    parser.add_argument("app")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--lifespan", default="off", choices=("auto", "on", "off"))
    proxies = parser.add_mutually_exclusive_group()
    proxies.add_argument("--proxy-headers", dest="proxy_headers", action="store_true")
    proxies.add_argument("--no-proxy-headers", dest="proxy_headers", action="store_false")
    parser.add_argument("--forwarded-allow-ips", default=None)
    parser.set_defaults(proxy_headers=False)
    return parser.parse_args(list(argv))


# How long an idle keep-alive connection stays open. uvicorn's default is 5 s, exactly the
# interval at which Mastodon.py polls a media upload being processed (`synchronous=True`):
# the client reused connections the server was closing at that moment and got "Connection
# reset by peer". Well above any client's polling interval, well below a proxy's idle limit.
KEEP_ALIVE_SECONDS = 30
# Streaming WebSockets (staffroom/streaming): a client only sends small subscribe and
# unsubscribe messages, so a frame past this is refused; pings find dead peers (as Mastodon's
# streaming server does every 30 s); no per-message compression, which costs CPU per frame
# per connection for payloads that are sent once.
WS_MAX_MESSAGE_BYTES = 64 * 1024
WS_PING_SECONDS = 30.0
# Streaming responses never end by themselves: on shutdown they are cut after this, well
# inside `serve`'s own stop timeout, and Mastodon's clients reconnect.
GRACEFUL_SHUTDOWN_SECONDS = 5


def server_config(options: argparse.Namespace) -> uvicorn.Config:
    """uvicorn's configuration for one web worker; `options.app` is an import string or an
    ASGI application. A request's line and headers must arrive within
    STAFFROOM_HEADER_TIMEOUT_SECONDS (core/slow_clients.py)."""
    return uvicorn.Config(
        options.app,
        http=header_deadline_protocol(settings.STAFFROOM_HEADER_TIMEOUT_SECONDS),
        host=options.host,
        port=options.port,
        lifespan=options.lifespan,
        proxy_headers=options.proxy_headers,
        forwarded_allow_ips=options.forwarded_allow_ips,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        ws="websockets-sansio",
        ws_max_size=WS_MAX_MESSAGE_BYTES,
        ws_ping_interval=WS_PING_SECONDS,
        ws_ping_timeout=WS_PING_SECONDS,
        ws_per_message_deflate=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )


def main(argv: Sequence[str]) -> None:
    options = _arguments(argv)
    config = server_config(options)
    sock = listening_socket(options.host, options.port)
    # uvicorn announces the address only for the socket it binds itself; say it the same way.
    host = f"[{options.host}]" if ":" in options.host else options.host
    logging.getLogger("uvicorn.error").info(
        "Uvicorn running on http://%s:%d (Press CTRL+C to quit)", host, sock.getsockname()[1]
    )
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main(sys.argv[1:])
