"""The hub of one web worker: who gets which message, rendered once per viewer; slow
clients closed rather than buffered; counts for /healthz."""

from __future__ import annotations

import asyncio

from staffroom.streaming.hub import SLOW_CLIENT, Hub, Limits
from staffroom.streaming.messages import StreamMessage
from staffroom.streaming.streams import Subscription, Viewer
from tests.streaming.conftest import FakeBroker, make_hub

ADA = Viewer(account_id=1, scopes=frozenset({"read"}), token_id=11)
BO = Viewer(account_id=2, scopes=frozenset({"read"}), token_id=12)
PUBLIC = Subscription(("public",), frozenset({"public"}))


def _never_revoked(viewers):
    return set(viewers)


def test_each_viewer_is_rendered_once_however_many_connections_they_hold():
    broker = FakeBroker()
    hub = make_hub(broker, revalidate=_never_revoked)

    async def scenario() -> list[int]:
        connections = [
            hub.open(viewer, address="10.0.0.1", transport="websocket") for viewer in (ADA, ADA, BO)
        ]
        for connection in connections:
            hub.subscribe(connection, PUBLIC)
        await hub.dispatch(StreamMessage(event="update", keys=("public",), status_id=5))
        return [connection.outbox.qsize() for connection in connections]

    assert asyncio.run(scenario()) == [1, 1, 1]
    assert broker.rendered_for == [{1, 2}]


def test_a_message_for_nobody_connected_renders_nothing():
    broker = FakeBroker()
    hub = make_hub(broker, revalidate=_never_revoked)

    async def scenario() -> None:
        connection = hub.open(ADA, address="10.0.0.1", transport="eventsource")
        hub.subscribe(connection, PUBLIC)
        await hub.dispatch(StreamMessage(event="update", keys=("user:99",), status_id=5))

    asyncio.run(scenario())
    assert broker.rendered_for == []


def test_a_client_that_stops_reading_is_closed_not_buffered_without_end():
    hub = make_hub(FakeBroker(), Limits(outbox=3), revalidate=_never_revoked)

    async def scenario():
        connection = hub.open(ADA, address="10.0.0.1", transport="websocket")
        hub.subscribe(connection, PUBLIC)
        for number in range(10):
            await hub.dispatch(StreamMessage(event="update", keys=("public",), status_id=number))
        return connection

    connection = asyncio.run(scenario())
    assert connection.closed.is_set()
    assert connection.close_reason == SLOW_CLIENT
    assert connection.outbox.qsize() == 3  # what it held when the limit was reached
    hub.close(connection)
    assert hub.stats()["slow_clients_closed"] == 1
    assert hub.stats()["connections"] == 0


def test_closing_a_connection_forgets_its_subscriptions_and_counts():
    hub = make_hub(FakeBroker(), Limits(per_account=1), revalidate=_never_revoked)

    async def scenario() -> int:
        first = hub.open(ADA, address="10.0.0.1", transport="websocket")
        hub.subscribe(first, PUBLIC)
        hub.close(first)
        again = hub.open(ADA, address="10.0.0.1", transport="websocket")  # the limit freed up
        hub.close(again)
        return hub.stats()["subscribed_keys"]

    assert asyncio.run(scenario()) == 0


def test_a_viewer_whose_token_ended_is_closed_at_the_next_check():
    """SECURITY-PLAN A-5, A-6."""
    hub = make_hub(FakeBroker(), revalidate=lambda viewers: {BO} & set(viewers))

    async def scenario():
        ada = hub.open(ADA, address="10.0.0.1", transport="websocket")
        bo = hub.open(BO, address="10.0.0.1", transport="websocket")
        await hub.revalidate_now()
        return ada, bo

    ada, bo = asyncio.run(scenario())
    assert ada.closed.is_set()
    assert not bo.closed.is_set()


def test_a_failing_broker_is_listened_to_again_and_messages_then_arrive(monkeypatch):
    monkeypatch.setattr("staffroom.streaming.hub.LISTEN_RETRY_SECONDS", 0.01)
    broker = FakeBroker()
    attempts = []

    async def flaky_listen():
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("socket folder not writable")
        async for message in broker.listen():
            yield message

    hub = Hub(listen=flaky_listen, render=broker.render, revalidate=_never_revoked)

    async def scenario():
        connection = hub.open(ADA, address="10.0.0.1", transport="websocket")
        hub.subscribe(connection, PUBLIC)
        await broker.publish(StreamMessage(event="update", keys=("public",), status_id=3))
        return await asyncio.wait_for(connection.outbox.get(), 5)

    assert asyncio.run(scenario()).event == "update"
    assert len(attempts) == 2
