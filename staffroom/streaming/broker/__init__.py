"""The broker: how a StreamMessage gets from the process where something happened (a web
worker, a task worker, the scheduler, a management command) to the hub of every web worker.

Two implementations, chosen by settings: Redis pub/sub on one channel when `REDIS_URL` is
set (`redis_channel.py`), otherwise Unix datagram sockets in a folder of this machine
(`embedded.py`), which serves SQLite installations running several web workers with no
database polling. Both are best effort: a message may be lost (a worker too busy, Redis
down), never delayed for long, and `publish` never raises into the service that caused it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from django.conf import settings

from staffroom.streaming.broker import embedded, redis_channel
from staffroom.streaming.messages import StreamMessage

__all__ = ["listen", "publish"]


def publish(message: StreamMessage) -> None:
    """Send `message` to every web worker's listener. Synchronous, callable from any
    process; best effort: never raises (logs a warning) and never blocks for long."""
    if settings.REDIS_URL:
        redis_channel.publish(message)
    else:
        embedded.publish(message)


def listen() -> AsyncIterator[StreamMessage]:
    """For the hub of one web worker: every published message, forever. Survives a dropped
    broker connection (reconnecting with backoff) without ending; malformed messages are
    logged and skipped."""
    if settings.REDIS_URL:
        return redis_channel.listen()
    return embedded.listen()
