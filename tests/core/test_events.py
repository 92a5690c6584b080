"""Domain events: dispatch phases, the registry, and the rule that no domain flow runs from
a model signal."""

import logging
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from staffroom.core import events
from staffroom.core.events import Event, Phase, emit, subscriber, subscriptions


@dataclass(frozen=True, kw_only=True)
class _Probe(Event):
    value: int


@pytest.fixture
def probe_subscriptions():
    """Subscribers registered by a test are taken out again afterwards."""
    yield
    events._subscriptions.pop(_Probe, None)


def test_emit_runs_in_transaction_subscribers_at_once_and_after_commit_ones_on_commit(
    db, probe_subscriptions, django_capture_on_commit_callbacks
):
    seen: list[str] = []

    @subscriber(_Probe)
    def now(event: _Probe) -> None:
        seen.append(f"now {event.value}")

    @subscriber(_Probe, phase=Phase.AFTER_COMMIT)
    def later(event: _Probe) -> None:
        seen.append(f"later {event.value}")

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        emit(_Probe(value=1))
        assert seen == ["now 1"]
    assert seen == ["now 1", "later 1"]


def test_an_in_transaction_subscriber_failing_rolls_the_cause_back(db, probe_subscriptions):
    from staffroom.posts.models import Tag

    @subscriber(_Probe)
    def broken(event: _Probe) -> None:
        raise RuntimeError("subscriber failed")

    def cause() -> None:
        with transaction.atomic():
            Tag.objects.create(name="rolledback", normalized="rolledback")
            emit(_Probe(value=2))

    with pytest.raises(RuntimeError):
        cause()
    assert not Tag.objects.filter(name="rolledback").exists()


def test_an_after_commit_subscriber_failing_is_logged_not_raised(
    db, probe_subscriptions, caplog, django_capture_on_commit_callbacks
):
    @subscriber(_Probe, phase=Phase.AFTER_COMMIT)
    def broken(event: _Probe) -> None:
        raise RuntimeError("subscriber failed")

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        emit(_Probe(value=3))
    assert "broken" in caplog.text
    assert "_Probe" in caplog.text


def test_registering_the_same_subscriber_twice_keeps_one(probe_subscriptions):
    def once(event: _Probe) -> None:
        pass

    subscriber(_Probe)(once)
    subscriber(_Probe)(once)
    assert [entry.name for entry in subscriptions() if entry.event_type is _Probe] == [
        f"{__name__}.{once.__qualname__}"
    ]


def test_every_subscription_is_to_an_event_of_the_catalogue():
    catalogue = set(events.event_types())
    assert {entry.event_type for entry in subscriptions()} <= catalogue
    # The flows the product relies on are subscribed.
    subscribed = {entry.event_type.__name__ for entry in subscriptions()}
    assert {"StatusCreated", "FollowCreated", "FollowDeleted", "BlockCreated"} <= subscribed


def _our_models():
    return [model for model in apps.get_models() if model.__module__.startswith("staffroom.")]


@pytest.mark.parametrize("signal", [pre_save, post_save, pre_delete, post_delete, m2m_changed])
def test_no_model_signal_of_ours_has_a_receiver_in_our_code(signal):
    """Side effects are domain events: a receiver on a model signal would run behind a
    service's back (and be skipped by bulk writes and cascades)."""
    found = []
    for model in _our_models():
        for receiver in signal._live_receivers(model)[0]:
            module = getattr(receiver, "__module__", "")
            if module.startswith("staffroom."):
                found.append(f"{model._meta.label}: {module}.{receiver.__qualname__}")
    assert found == []


def _documented_table() -> dict[str, set[str]]:
    """The event table of docs/overview/architecture.md: event -> subscriber names."""
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs/overview/architecture.md").read_text()
    table: dict[str, set[str]] = {}
    for line in doc.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`") and cells[0].endswith("`"):
            names = {name.strip("` ") for name in cells[2].split(",")} - {"none yet"}
            table[cells[0].strip("`")] = names
    return table


def test_the_architecture_page_lists_every_event_and_its_subscribers():
    registered: dict[str, set[str]] = {cls.__name__: set() for cls in events.event_types()}
    for entry in subscriptions():
        registered[entry.event_type.__name__].add(entry.name.removeprefix("staffroom."))
    assert _documented_table() == registered
