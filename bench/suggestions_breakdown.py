"""Where one suggestions request's time goes, in a separate round after the measured one
(the timers cost a little): each part is wrapped where the route calls it, and a part's
time is its own, less the parts inside it.

- the teacher's own rows: `selectors._teacher_query` (follows, followers, lists, terms,
  blocks, mutes, dismissals, pending requests: one statement; the terms: one query);
- the engine: `engine.api.rank` over the snapshot (candidate pool, features, trees);
- re-ranking and checks: the rest of `suggestions_for` (purposes, the live check of the
  candidates, reasons and their candidates' terms);
- entities: `suggestion_entities` (Mastodon accounts and the PLN reasons);
- framework: everything else (middleware, token authentication, ninja's response schema,
  JSON).

The wrapped names are the route's and the selector's module globals; a rename fails here
loudly (`mock.patch` of a missing attribute), never silently.
"""

from __future__ import annotations

import contextlib
import importlib
import time
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

from bench.load import percentile

PARTS = {
    "teacher": ("staffroom.recommendations.selectors._teacher_query", "the teacher's own rows"),
    "engine": ("staffroom.recommendations.selectors.rank", "the engine over the snapshot"),
    "selector": (
        "staffroom.recommendations.api.suggestions.suggestions_for",
        "re-ranking, live check, reasons",
    ),
    "entities": (
        "staffroom.recommendations.api.suggestions.suggestion_entities",
        "entities (accounts, reasons)",
    ),
}


class _Clock:
    def __init__(self) -> None:
        self.spent: dict[str, float] = dict.fromkeys(PARTS, 0.0)

    def wrap(self, name: str, original: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.spent[name] += time.perf_counter() - started

        return timed


@contextlib.contextmanager
def _timers(clock: _Clock) -> Iterator[None]:
    with contextlib.ExitStack() as stack:
        for name, (target, _label) in PARTS.items():
            module, _, attribute = target.rpartition(".")
            original = getattr(importlib.import_module(module), attribute)
            stack.enter_context(mock.patch(target, clock.wrap(name, original)))
        yield


def breakdown(call: Callable[[Any], object], viewers: list[Any], rounds: int) -> dict[str, Any]:
    """p50 and p99 in ms of each part over `rounds` requests per viewer."""
    samples: dict[str, list[float]] = {label: [] for _target, label in PARTS.values()}
    samples["framework: middleware, auth, schema, JSON"] = []
    samples["whole request"] = []
    for i in range(rounds * len(viewers)):
        clock = _Clock()
        with _timers(clock):
            started = time.perf_counter()
            call(viewers[i % len(viewers)])
            total = time.perf_counter() - started
        spent = clock.spent
        own = {
            "teacher": spent["teacher"],
            "engine": spent["engine"],
            "selector": spent["selector"] - spent["teacher"] - spent["engine"],
            "entities": spent["entities"],
        }
        for name, seconds in own.items():
            samples[PARTS[name][1]].append(seconds * 1000)
        framework = total - spent["selector"] - spent["entities"]
        samples["framework: middleware, auth, schema, JSON"].append(framework * 1000)
        samples["whole request"].append(total * 1000)
    return {
        label: {
            "p50_ms": round(percentile(values, 50), 2),
            "p99_ms": round(percentile(values, 99), 2),
        }
        for label, values in samples.items()
    }
