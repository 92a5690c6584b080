"""`staffroom scheduler`: enqueue periodic jobs when they are due, until stopped.

`staffroom serve` runs one; more (on other machines) are safe. SIGTERM or SIGINT stops it
after the current pass. See core/scheduler.py and docs/subsystems/jobs.md.
"""

from __future__ import annotations

import logging
import signal
import threading
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, connection

from staffroom.core.scheduler import periodic_discover, periodic_list, scheduler_tick

logger = logging.getLogger("staffroom.scheduler")


class Command(BaseCommand):
    help = "Run the periodic job scheduler (enqueues due periodic jobs, writes a heartbeat)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run one pass, then exit.")
        parser.add_argument(
            "--interval",
            type=float,
            default=float(settings.STAFFROOM_SCHEDULER_INTERVAL_SECONDS),
            help="Seconds between passes (default: STAFFROOM_SCHEDULER_INTERVAL_SECONDS).",
        )

    def handle(self, *args: Any, once: bool, interval: float, **options: Any) -> None:
        periodic_discover()
        names = ", ".join(entry.name for entry in periodic_list())
        if once:
            _tick()
            return
        stopping = threading.Event()
        previous = _stop_on_signals(stopping)
        logger.info("Scheduler started (every %ss): %s", interval, names)
        try:
            while not stopping.is_set():
                _tick()
                stopping.wait(interval)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        logger.info("Scheduler stopped")


def _tick() -> None:
    """One pass; a database hiccup is logged and the next pass tries again."""
    _refresh_connection()
    try:
        enqueued = scheduler_tick()
    except DatabaseError:
        logger.exception("Scheduler pass failed; trying again next pass")
        return
    finally:
        _refresh_connection()
    if enqueued:
        logger.info("Enqueued %s", ", ".join(enqueued))


def _refresh_connection() -> None:
    # A long-running command must drop broken or expired connections itself, as Django does
    # around each request. Never inside a transaction (only tests run the command in one).
    if not connection.in_atomic_block:
        close_old_connections()


def _stop_on_signals(stopping: threading.Event) -> dict[int, Any]:
    def stop(signum: int, frame: FrameType | None) -> None:
        logger.info("Received %s, stopping", signal.Signals(signum).name)
        stopping.set()

    return {signum: signal.signal(signum, stop) for signum in (signal.SIGTERM, signal.SIGINT)}
