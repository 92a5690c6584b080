"""Each web worker's streaming numbers, for /healthz: written by the worker's hub every few
seconds to a small file of its own, added up by whichever worker answers /healthz.

A file per worker (in `STAFFROOM_STREAMING_STATS_DIR`) rather than the database: the numbers
change every few seconds, are worthless after a restart, and must not cost a write per
connection. A worker that stopped leaves a file that goes stale and is then ignored.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

# A worker's numbers older than this are a stopped worker's.
STALE_AFTER_SECONDS = 30.0


def _folder() -> Path:
    return Path(settings.STAFFROOM_STREAMING_STATS_DIR)


def stats_write(stats: dict[str, Any]) -> None:
    """Save this process's numbers (atomically: a reader never sees half a file)."""
    folder = _folder()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / f"{os.getpid()}.json"
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps({**stats, "written_at": time.time()}))
    partial.replace(path)


def stats_summary(*, now: float | None = None) -> dict[str, Any]:
    """Every live worker's numbers added up: connections by transport, slow clients closed,
    and the broker's lag (the worst worker's median and maximum over recent messages)."""
    now = time.time() if now is None else now
    summary: dict[str, Any] = {
        "workers": 0,
        "connections": 0,
        "websocket": 0,
        "eventsource": 0,
        "slow_clients_closed": 0,
        "broker_lag_ms": {"p50": 0.0, "max": 0.0},
    }
    folder = _folder()
    if not folder.is_dir():
        return summary
    for path in folder.glob("*.json"):
        try:
            stats = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if (
            not isinstance(stats, dict)
            or now - float(stats.get("written_at", 0)) > STALE_AFTER_SECONDS
        ):
            continue
        summary["workers"] += 1
        for name in ("connections", "websocket", "eventsource", "slow_clients_closed"):
            summary[name] += int(stats.get(name, 0))
        lag = stats.get("broker_lag") or {}
        summary["broker_lag_ms"]["p50"] = max(
            summary["broker_lag_ms"]["p50"], float(lag.get("p50_ms", 0))
        )
        summary["broker_lag_ms"]["max"] = max(
            summary["broker_lag_ms"]["max"], float(lag.get("max_ms", 0))
        )
    return summary
