"""Streaming tests: the ASGI app driven in-process (asgiref's ApplicationCommunicator), with
a hub whose broker is a queue the test feeds."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Collection
from dataclasses import dataclass, field
from typing import Any

import pytest

from staffroom.accounts.models import User
from staffroom.oauth.services import personal_token_create
from staffroom.streaming.auth import still_valid
from staffroom.streaming.hub import Hub, Limits
from staffroom.streaming.messages import StreamMessage


@dataclass
class FakeBroker:
    """`listen()` yields what the test `publish`es; each render names the viewer, so a test
    sees whom each payload was made for."""

    queue: asyncio.Queue[StreamMessage] | None = None
    rendered_for: list[set[int | None]] = field(default_factory=list)

    async def listen(self) -> AsyncIterator[StreamMessage]:
        self.queue = asyncio.Queue()
        while True:
            yield await self.queue.get()

    async def publish(self, message: StreamMessage) -> None:
        for _ in range(1000):  # the hub starts listening on its first connection
            if self.queue is not None:
                break
            await asyncio.sleep(0.01)
        assert self.queue is not None
        await self.queue.put(message)

    def render(
        self, message: StreamMessage, viewers: Collection[int | None]
    ) -> dict[int | None, str]:
        self.rendered_for.append(set(viewers))
        return {
            viewer: json.dumps({"for": viewer, "status": message.status_id}) for viewer in viewers
        }


@pytest.fixture
def broker() -> FakeBroker:
    return FakeBroker()


def make_hub(broker: FakeBroker, limits: Limits | None = None, **options: Any) -> Hub:
    return Hub(
        listen=broker.listen,
        render=broker.render,
        revalidate=options.pop("revalidate", still_valid),
        limits=limits,
        **options,
    )


def token_for(user: User, scopes: str = "read") -> str:
    return personal_token_create(user=user, scopes=scopes).raw_token
