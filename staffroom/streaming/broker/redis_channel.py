"""The Redis broker: PUBLISH on one channel, each web worker's listener subscribed to it.

Redis pub/sub ignores the database number, so the channel is named after it and after the
server's domain: two servers sharing one Redis (the test suite runs several, each on its
own database) never read each other's messages.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import AsyncIterator

import redis
import redis.asyncio
from django.conf import settings

from staffroom.streaming.messages import MalformedMessage, StreamMessage

logger = logging.getLogger(__name__)

# A publish waits at most this long for Redis (it runs in a request or a job).
PUBLISH_TIMEOUT_SECONDS = 1.0
RECONNECT_FIRST_SECONDS = 1.0
RECONNECT_MAX_SECONDS = 30.0

_client_lock = threading.Lock()
_client: tuple[int, str, redis.Redis[bytes]] | None = None  # (pid, url, client)


def channel_name(url: str | None = None) -> str:
    """`staffroom:streaming:<database number>:<domain>`."""
    url = url or settings.REDIS_URL
    database = redis.connection.parse_url(url).get("db", 0)
    return f"staffroom:streaming:{database}:{settings.STAFFROOM_DOMAIN}"


def _publishing_client() -> redis.Redis[bytes]:
    """One client per process and URL (a forked child makes its own)."""
    global _client
    url = settings.REDIS_URL
    with _client_lock:
        if _client is None or _client[0] != os.getpid() or _client[1] != url:
            client = redis.Redis.from_url(
                url,
                socket_timeout=PUBLISH_TIMEOUT_SECONDS,
                socket_connect_timeout=PUBLISH_TIMEOUT_SECONDS,
            )
            _client = (os.getpid(), url, client)
        return _client[2]


def publish(message: StreamMessage) -> None:
    """PUBLISH `message`; when Redis is unreachable it is logged and dropped."""
    try:
        _publishing_client().publish(channel_name(), message.encode())
    except (redis.RedisError, OSError) as error:
        logger.warning("Streaming message %s not published: %s", message.event, error)


def listener_name() -> str:
    """The name this process's listening connection gives itself (`CLIENT SETNAME`): an
    operator's `CLIENT LIST` shows which worker holds it."""
    return f"staffroom-streaming-{os.getpid()}"


async def listen() -> AsyncIterator[StreamMessage]:
    """Every message on the channel, forever. A dropped connection is retried after 1 s,
    doubling to 30 s, logged once per outage; the iteration never ends because of it."""
    url = settings.REDIS_URL
    channel = channel_name(url)
    delay = RECONNECT_FIRST_SECONDS
    outage = False
    while True:
        client = redis.asyncio.Redis.from_url(url, client_name=listener_name())
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            await pubsub.subscribe(channel)
            if outage:
                logger.warning("Streaming broker reconnected to Redis")
                outage, delay = False, RECONNECT_FIRST_SECONDS
            async for raw in pubsub.listen():
                if raw.get("type") != "message":
                    continue
                try:
                    message = StreamMessage.decode(raw["data"])
                except MalformedMessage as error:
                    logger.warning("Malformed streaming message skipped: %s", error)
                    continue
                yield message
        except (redis.RedisError, OSError) as error:
            if not outage:
                logger.warning("Streaming broker lost Redis (%s): reconnecting", error)
                outage = True
        finally:
            await _close_quietly(pubsub, client)
        await asyncio.sleep(delay)
        delay = min(delay * 2, RECONNECT_MAX_SECONDS)


async def _close_quietly(
    pubsub: redis.asyncio.client.PubSub, client: redis.asyncio.Redis[bytes]
) -> None:
    try:
        # redis-py 5's names (the installed stubs still know only the deprecated `close`).
        await pubsub.aclose()  # type: ignore[attr-defined]
        await client.aclose()  # type: ignore[attr-defined]
    except (redis.RedisError, OSError):
        pass  # the connection is gone already
