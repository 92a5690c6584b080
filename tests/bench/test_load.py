"""The load client and the report, against a tiny local HTTP server."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest

from bench.load import LoadResult, Request, percentile, run_load_here, summarize
from bench.report import section, write_section


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        ok = self.headers.get("Authorization") == "Bearer good"
        body = b"[]" if ok else b'{"error": "no"}'
        self.send_response(200 if ok else 401)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def port() -> Iterator[int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_closed_loop_load_records_every_answer(port):
    requests = [Request("/a", "good", heavy=True), Request("/b", "good"), Request("/c", "bad")]
    result = run_load_here(port, requests, connections=3, duration=0.5, warmup=0.1)
    summary = summarize(result)
    assert summary.requests > 10
    assert result.statuses[200] > 0
    assert result.statuses[401] > 0
    assert summary.errors == result.statuses[401]
    assert 0 < summary.heavy_requests < summary.requests
    assert summary.p50_ms <= summary.p99_ms


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 50) == 50
    assert percentile(values, 99) == 99
    assert percentile([3.0], 99) == 3.0


def test_summary_of_no_requests():
    summary = summarize(LoadResult(seconds=1.0))
    assert summary.requests == 0
    assert summary.rps == 0


def test_write_section_replaces_only_the_feeds_section(tmp_path):
    path = tmp_path / "BENCHMARKS.md"
    path.write_text("# Benchmarks\n\n## Suggestions\n\nkeep me\n")
    write_section(path, "## Feeds\n\nfirst\n")
    write_section(path, "## Feeds\n\nsecond\n")
    text = path.read_text()
    assert "keep me" in text
    assert "second" in text
    assert "first" not in text
    assert text.count("## Feeds") == 1


def _report(db: str, rps: float, p99: float, naive_heavy_p99: float) -> dict[str, object]:
    scenario = {"rps": rps, "p50_ms": p99 / 2, "p99_ms": p99, "heavy_requests": 5,
                "heavy_p99_ms": p99, "errors": 0, "loadavg": [1.0, 1.5]}  # fmt: skip
    naive = {**scenario, "heavy_p99_ms": naive_heavy_p99}
    return {
        "db": db,
        "users": 100,
        "posts": 1000,
        "scenarios": {"home": scenario, "list": scenario, "naive": naive},
        "posting": {
            "followers": 99,
            "post_ms": [20.0, 30.0],
            "reach_s": [1.0, 2.0],
            "reach_s_max": 2.0,
        },
    }


def test_targets_are_judged_from_the_measured_figures():
    text = section(
        [_report("sqlite", 400, 20, 300), _report("postgres", 200, 40, 300)],
        command="python -m bench feeds",
        machine="a machine",
        note="",
    )
    assert "| home on SQLite: >= 300 req/s | 400 req/s | met |" in text
    assert "0.50x SQLite's req/s, 2.00x its p99 | **missed** |" in text
    assert "| sqlite: posting <= 50 ms | max 30 ms | met |" in text
    assert "1/7.5 | **missed** |" in text  # postgres: 40 ms vs 300 ms
