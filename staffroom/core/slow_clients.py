"""A deadline for a request's line and headers, which uvicorn does not have (SECURITY-PLAN U-4).

uvicorn closes an idle keep-alive connection after `timeout_keep_alive`, but only once a
response has been sent: a connection that never completes its first request's headers
(slowloris: a byte now and then, or nothing at all after the connect), or that starts a new
request on a kept-alive connection and stops half-way, stays open for as long as the client
likes, each one a file descriptor and a parser. Neither of uvicorn's HTTP protocols has a
header timeout, and a reverse proxy in front is not guaranteed (`staffroom serve` may face
the network directly), so the web worker's protocol is a small subclass of uvicorn's h11
protocol that arms a timer when a request may begin (the connection is made, or bytes arrive
on a connection idling in keep-alive) and closes the connection if the request's headers
have not all arrived when it fires. A slow body is bounded separately, in the ASGI layer
that reads bodies (core/asgi_limits.py), where it can still be answered with a 408.

h11 is chosen explicitly rather than uvicorn's "auto" (httptools when it is installed), so
the subclass is the protocol that runs whatever else is installed.
"""

from __future__ import annotations

import asyncio
import logging

from uvicorn.protocols.http.h11_impl import H11Protocol

logger = logging.getLogger("uvicorn.error")


class HeaderDeadlineH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose request headers are not complete
    within `header_timeout` seconds of the request's start."""

    header_timeout: float = 10.0

    _header_deadline: asyncio.TimerHandle | None = None
    # The request cycle current when the deadline was armed: a new one means the headers
    # of the next request arrived (uvicorn makes a cycle as soon as they are parsed).
    _cycle_at_arming: object = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_deadline()

    def data_received(self, data: bytes) -> None:
        # A keep-alive timer running means the connection was idle between requests: these
        # bytes begin a new request, whose headers get the same deadline as the first's.
        if self.timeout_keep_alive_task is not None:
            self._arm_header_deadline()
        super().data_received(data)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_deadline()
        super().connection_lost(exc)

    def _arm_header_deadline(self) -> None:
        self._disarm_header_deadline()
        self._cycle_at_arming = self.cycle
        self._header_deadline = self.loop.call_later(self.header_timeout, self._header_timed_out)

    def _disarm_header_deadline(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _header_timed_out(self) -> None:
        self._header_deadline = None
        if self.transport.is_closing() or self.transport.get_protocol() is not self:
            return  # closed already, or upgraded to a WebSocket, which has its own pings
        if self.cycle is not self._cycle_at_arming:
            return  # the headers came in time; the request (then keep-alive) goes on
        logger.info("Closing a connection whose request headers took over %ss", self.header_timeout)
        self.transport.close()


def header_deadline_protocol(header_timeout: float) -> type[HeaderDeadlineH11Protocol]:
    """The protocol class for uvicorn's `http=` with this header deadline (seconds)."""
    return type(
        "HeaderDeadlineH11Protocol",
        (HeaderDeadlineH11Protocol,),
        {"header_timeout": float(header_timeout)},
    )
