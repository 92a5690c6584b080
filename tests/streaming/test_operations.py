"""Operating the streaming API: /healthz adds up the numbers every web worker writes; the
OpenAPI document describes the routes."""

from __future__ import annotations

import json
import os
import time

import pytest

from staffroom.streaming.stats import STALE_AFTER_SECONDS, stats_summary, stats_write


@pytest.fixture(autouse=True)
def _stats_dir(settings, tmp_path):
    settings.STAFFROOM_STREAMING_STATS_DIR = tmp_path / "stats"


def _worker(settings, pid: int, written_at: float, **numbers) -> None:
    folder = settings.STAFFROOM_STREAMING_STATS_DIR
    folder.mkdir(exist_ok=True)
    (folder / f"{pid}.json").write_text(json.dumps({**numbers, "written_at": written_at}))


def test_live_workers_are_added_up_and_a_stopped_workers_numbers_ignored(settings):
    now = time.time()
    lag = {"p50_ms": 3.0, "max_ms": 40.0}
    _worker(settings, 1, now, connections=3, websocket=2, eventsource=1, broker_lag=lag)
    _worker(settings, 2, now, connections=4, websocket=4, broker_lag={"p50_ms": 5, "max_ms": 9})
    _worker(settings, 3, now - STALE_AFTER_SECONDS - 1, connections=100)
    summary = stats_summary(now=now)
    assert summary["workers"] == 2
    assert (summary["connections"], summary["websocket"], summary["eventsource"]) == (7, 6, 1)
    assert summary["broker_lag_ms"] == {"p50": 5.0, "max": 40.0}


def test_a_worker_writes_its_own_file(settings):
    stats_write({"connections": 2, "websocket": 2, "eventsource": 0})
    assert (settings.STAFFROOM_STREAMING_STATS_DIR / f"{os.getpid()}.json").exists()
    assert stats_summary()["connections"] == 2


@pytest.mark.django_db
def test_healthz_reports_streaming(client, settings):
    stats_write({"connections": 1, "websocket": 0, "eventsource": 1})
    body = client.get("/healthz").json()
    assert body["streaming"]["connections"] == 1
    assert body["streaming"]["eventsource"] == 1


def test_the_openapi_document_describes_the_streaming_routes(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert (
        "text/event-stream" in paths["/api/v1/streaming/user"]["get"]["responses"]["200"]["content"]
    )
    assert paths["/api/v1/streaming/hashtag"]["get"]["parameters"][1]["name"] == "tag"
    assert "401" in paths["/api/v1/streaming"]["get"]["responses"]
