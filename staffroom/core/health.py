"""What `/healthz` reports: can we reach the database, are the worker and scheduler alive.

The worker and the scheduler prove they are alive with `Heartbeat` rows: the scheduler writes
one every loop, and the worker writes one by running the periodic `worker_heartbeat_task` job
(so a fresh worker heartbeat shows jobs really run, not just that a process exists).

`status` stays "ok" whenever the database answers, so a load balancer keeps sending traffic
while background work is only delayed (it is durable and catches up); `degraded` is true when
the worker or the scheduler is "stale" (heartbeat older than STAFFROOM_HEARTBEAT_STALE_SECONDS)
or "unknown" (never seen, or the database cannot say). Monitoring should alert on `degraded`.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from staffroom.core.models import Heartbeat

COMPONENTS = ("worker", "scheduler")


def heartbeat_record(*, name: str) -> None:
    """Note that the component `name` is alive now (one row per name; the last writer wins)."""
    values: dict[str, Any] = {
        "hostname": socket.gethostname()[:255],
        "pid": os.getpid(),
        "seen_at": timezone.now(),
    }
    if not Heartbeat.objects.filter(name=name).update(**values):
        Heartbeat.objects.bulk_create([Heartbeat(name=name, **values)], ignore_conflicts=True)


def database_status() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return {"status": "error", "vendor": connection.vendor, "error": type(error).__name__}
    return {"status": "ok", "vendor": connection.vendor}


def component_status(seen_at: datetime | None, *, now: datetime) -> dict[str, Any]:
    """The status ("ok", "stale" or "unknown") of a heartbeat last seen at `seen_at`."""
    if seen_at is None:
        return {"status": "unknown", "last_seen": None}
    stale_after = timedelta(seconds=settings.STAFFROOM_HEARTBEAT_STALE_SECONDS)
    return {
        "status": "ok" if now - seen_at <= stale_after else "stale",
        "last_seen": seen_at.isoformat(),
        "age_seconds": max(0, round((now - seen_at).total_seconds())),
    }


def background_status() -> dict[str, dict[str, Any]]:
    """The worker and scheduler entries of the report, read from their heartbeats."""
    try:
        seen = dict(Heartbeat.objects.filter(name__in=COMPONENTS).values_list("name", "seen_at"))
    except DatabaseError:
        seen = {}
    now = timezone.now()
    return {name: component_status(seen.get(name), now=now) for name in COMPONENTS}


def health_report() -> dict[str, Any]:
    """The JSON body of /healthz; `status` is "ok" only when the database answers.

    Also `worker` and `scheduler` ({"status": "ok" | "stale" | "unknown", "last_seen": ...})
    and `degraded`, true when either of them is not "ok" (see the module docstring).
    """
    database = database_status()
    background = (
        background_status()
        if database["status"] == "ok"
        else {name: component_status(None, now=timezone.now()) for name in COMPONENTS}
    )
    degraded = any(entry["status"] != "ok" for entry in background.values())
    return {"status": database["status"], "database": database, **background, "degraded": degraded}
