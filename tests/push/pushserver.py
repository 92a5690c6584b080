"""A push service on 127.0.0.1 for the delivery tests: it records each POST and answers the
status codes it is given, in order (201 once they run out). Bounded: a daemon thread with a
short socket timeout, shut down by the fixture that starts it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BODY = 8192


@dataclass
class Received:
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes


@dataclass
class PushServer:
    answers: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    port: int = 0
    location: str = ""  # sent as Location with every answer, when set

    def url(self, path: str = "/push/device-1") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@contextmanager
def push_server() -> Iterator[PushServer]:
    state = PushServer()

    class Handler(BaseHTTPRequestHandler):
        timeout = 5

        def do_POST(self) -> None:
            length = min(int(self.headers.get("Content-Length", "0")), MAX_BODY)
            body = self.rfile.read(length)
            headers = {name.lower(): value for name, value in self.headers.items()}
            state.received.append(Received(self.path, headers, body))
            status = state.answers.pop(0) if state.answers else 201
            self.send_response(status)
            self.send_header("Content-Length", "0")
            if state.location:
                self.send_header("Location", state.location)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
