"""The streaming benchmark: its figures from arrivals, its targets, and the whole run at a
tiny size (10 connections, 2 posts) against a real `staffroom serve`, so it cannot rot."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.streaming_clients import Held
from bench.streaming_report import busy_note, latencies, section

ROOT = Path(__file__).resolve().parents[2]
TINY_RUN_TIMEOUT_SECONDS = 280


def test_latencies_count_each_open_connections_events_per_transport():
    returned = {"1": 10.0, "2": 11.0}
    held = [
        Held("websocket", True, "", {"1": 10.2, "2": 11.1}),
        Held("sse", True, "", {"1": 10.5}),  # missed post 2
        Held("sse", False, "HTTP 401", {}),
    ]
    figures = latencies(held, returned, fanned_out={"1": 10.1, "2": 11.05})
    assert figures["never_opened"] == 1
    assert figures["connections"] == {"websocket": 1, "sse": 2}
    assert figures["delivery"]["expected"] == 4
    assert figures["delivery"]["arrived"] == 3
    assert figures["by_transport"]["sse"]["arrived"] == 1
    assert figures["delivery"]["max_ms"] == pytest.approx(500)
    assert figures["by_transport"]["websocket"]["p50_ms"] == pytest.approx(100)
    assert figures["fanout"]["posts"] == 2
    assert figures["fanout"]["max_ms"] == pytest.approx(100)
    assert figures["after_fanout"]["events"] == 3
    assert figures["after_fanout"]["max_ms"] == pytest.approx(400)  # 10.5 - 10.1


def _report(p99_ms: float, arrived: int, home_with: float) -> dict[str, object]:
    summary = {"expected": 20, "arrived": arrived, "p50_ms": 100.0, "p99_ms": p99_ms,
               "max_ms": p99_ms}  # fmt: skip
    home = {"rps": 100.0, "p50_ms": 10.0, "p99_ms": 30.0, "errors": 0, "loadavg": [1.0, 2.0]}
    return {
        "followers": 10, "posts": 2, "interval_s": 1.0, "history": 200, "home_load": [8, 1.0],
        "opened": 10, "open_s": 0.5, "rss_kib": [1000, 2024], "probes_seen": [0, 10],
        "connections": {"websocket": 5, "sse": 5}, "never_opened": 0,
        "delivery": summary, "by_transport": {"sse": summary, "websocket": summary},
        "home_without": home, "home_with": {**home, "rps": home_with},
        "home_after": {**home, "rps": 80.0},
        "fanout": {"posts": 2, "p50_ms": 50.0, "max_ms": 60.0},
        "after_fanout": {"events": 20, "p50_ms": 50.0, "p99_ms": 90.0, "max_ms": 95.0},
        "server_streaming": {"broker_lag_ms": {"p50": 12.0, "max": 40.0}},
        "posts_loadavg": [0.5, 1.5], "render": {"viewers": 5, "ms": 7.0},
    }  # fmt: skip


def test_targets_are_judged_from_the_measured_figures():
    met = section(_report(p99_ms=400, arrived=20, home_with=85.0), command="bench")
    assert "| every expected event arrived | 20 of 20 | met |" in met
    assert "| POST returned to event, p99 <= 1 s | 400 ms | met |" in met
    assert "85 vs 90 req/s = 0.94x | met |" in met  # against the mean of before and after
    assert "| memory per connection, KiB | - | 102.4 | - |" in met
    assert "after each probe | - | 0, 10 | - |" in met
    assert "| 2 posts | 50 | - | 60 |" in met
    assert "| 20 events | 50 | 90 | 95 |" in met
    assert "| 5 viewers | 7 | - | - |" in met
    missed = section(_report(p99_ms=1500, arrived=19, home_with=70.0), command="bench")
    assert "| every expected event arrived | 19 of 20 | **missed** |" in missed
    assert "1500 ms | **missed** |" in missed
    assert "0.78x | **missed** |" in missed


@pytest.fixture
def short_dir() -> Iterator[Path]:
    """A run folder with a short path: the server's streaming sockets live under it, and a
    Unix socket's path must fit in 108 bytes (pytest's tmp_path is too deep for that)."""
    folder = Path(tempfile.mkdtemp(prefix="sb-", dir="/tmp"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.slow
@pytest.mark.timeout(TINY_RUN_TIMEOUT_SECONDS + 20)
def test_the_benchmark_runs_at_a_tiny_size(short_dir):
    # The benchmark is the embedded default: SQLite, the database task worker that `serve`
    # runs, datagram sockets (with REDIS_URL, jobs would wait for an RQ worker).
    env = {
        key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")
    }
    env["PYTHONPATH"] = str(ROOT)
    argv = [sys.executable, "-m", "bench", "streaming", "--followers", "10", "--posts", "2"]
    argv += ["--interval", "0.3", "--duration", "1", "--history", "300", "--dir", str(short_dir)]
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        argv,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TINY_RUN_TIMEOUT_SECONDS,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads((short_dir / "streaming-last.json").read_text())["report"]
    assert report["opened"] == 10, report["open_errors"]
    assert report["connections"] == {"websocket": 5, "sse": 5}
    assert report["probes_seen"][-1] == 10
    assert report["delivery"]["expected"] == 20
    assert report["delivery"]["arrived"] == 20
    assert report["still_open"] == 10
    assert all(report[pass_]["errors"] == 0 for pass_ in ("home_without", "home_with"))
    assert "| every expected event arrived | 20 of 20 | met |" in result.stdout


def test_a_busy_machine_is_said_so():
    report = _report(p99_ms=400, arrived=20, home_with=85.0)
    assert busy_note(report, cores=2) == ""  # load averages up to 2.0
    report["posts_loadavg"] = [3.0, 6.5]
    assert "load average up to 6.5 on 2 cores" in busy_note(report, cores=2)
