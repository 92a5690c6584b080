"""The demo community: a registry that each capability extends with its own part.

`staffroom demo` runs every registered part in order with one seeded random generator, so
the same seed always builds the same community. A part lives in its app's `demo.py` and is
registered with `@demo_part(order=...)`; later parts can use what earlier ones made through
the shared `DemoContext`.

Parts insert rows in bulk, around the services, so no domain event is emitted per row. A
part says what it wrote with `context.bulk_loaded(Model, ...)`; the "derived" part (order
50, after the graph and the posts) emits one `BulkLoaded` event naming those models, and
their owners rebuild what derives from them (stored feeds, counters), as the services'
events would have.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils.module_loading import autodiscover_modules

from staffroom.core.events import BulkLoaded, emit

DemoPart = Callable[["DemoContext"], None]


@dataclass
class DemoContext:
    """What the parts share: the generator, the size asked for, and what was made so far."""

    rng: random.Random
    users: int
    seed: int
    made: dict[str, list[Any]] = field(default_factory=dict)
    log: Callable[[str], None] = print
    bulk: set[str] = field(default_factory=set)

    def add(self, kind: str, items: list[Any]) -> None:
        self.made.setdefault(kind, []).extend(items)

    def get(self, kind: str) -> list[Any]:
        return self.made.get(kind, [])

    def bulk_loaded(self, *written: type[models.Model]) -> None:
        """Record that rows of these models were inserted in bulk (see the module doc)."""
        self.bulk.update(model._meta.label for model in written)


@dataclass(frozen=True)
class _Registered:
    name: str
    order: int
    func: DemoPart


_PARTS: dict[str, _Registered] = {}


def demo_part(*, order: int, name: str | None = None) -> Callable[[DemoPart], DemoPart]:
    """Register a function that adds one capability's data to the demo community."""

    def register(func: DemoPart) -> DemoPart:
        key = name or f"{func.__module__}.{func.__name__}"
        _PARTS[key] = _Registered(key, order, func)
        return func

    return register


def demo_parts() -> list[_Registered]:
    autodiscover_modules("demo")
    return sorted(_PARTS.values(), key=lambda part: (part.order, part.name))


def build_demo(*, users: int, seed: int, log: Callable[[str], None] = print) -> DemoContext:
    """Run every registered part in one transaction: a failure leaves no half-built demo."""
    context = DemoContext(rng=random.Random(seed), users=users, seed=seed, log=log)  # noqa: S311
    with transaction.atomic():
        for part in demo_parts():
            log(f"demo: {part.name}")
            part.func(context)
    return context


@demo_part(order=50, name="derived")
def demo_derived(context: DemoContext) -> None:
    """Tell the owners of derived state (feeds, counters) what the parts so far loaded."""
    if context.bulk:
        emit(BulkLoaded(models=frozenset(context.bulk)))
        context.log(f"demo: rebuilt what derives from {', '.join(sorted(context.bulk))}")
        context.bulk.clear()
