"""`python -m staffroom.core.uvicorn_main ...`: uvicorn's command line, with the listening
socket it shares between `--workers` made as a TCP socket that answers without Nagle's delay.

With more than one worker, uvicorn binds the socket itself as `socket(AF_INET,
SOCK_STREAM)`, whose protocol reads as 0. asyncio turns Nagle's algorithm off
(`TCP_NODELAY`) only on accepted sockets whose protocol reads as TCP, so every connection
to a multi-worker server kept it on: a response goes out as two writes (headers, then
body), and the body waited for the client's delayed acknowledgement, 40 ms on Linux. A
trivial API route took 48 ms with two workers and 6 ms with one (BENCHMARKS.md, "Feeds:
what limits them"). Here the socket is marked as TCP and the listening socket gets
`TCP_NODELAY` too, which Linux passes on to each connection it accepts.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Sequence

import uvicorn.config
import uvicorn.main

_original_bind_socket = uvicorn.config.Config.bind_socket


def as_tcp_without_delay(sock: socket.socket) -> socket.socket:
    """`sock` as a socket object whose protocol reads as TCP, with Nagle's algorithm off; a
    Unix socket is returned unchanged."""
    if sock.family not in (socket.AF_INET, socket.AF_INET6):
        return sock
    tcp = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
    tcp.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return tcp


def _bind_socket(config: uvicorn.config.Config) -> socket.socket:
    return as_tcp_without_delay(_original_bind_socket(config))


def main(argv: Sequence[str]) -> None:
    uvicorn.config.Config.bind_socket = _bind_socket  # type: ignore[method-assign,assignment]
    uvicorn.main.main(args=list(argv), prog_name="uvicorn")


if __name__ == "__main__":
    main(sys.argv[1:])
