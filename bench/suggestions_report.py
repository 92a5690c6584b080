"""The suggestions benchmark's tables, its JSON line and its section of BENCHMARKS.md
("## Suggestions on live data", placed after the "## Suggestions" section)."""

from __future__ import annotations

import json
import math
import os
import platform
import re
from pathlib import Path
from typing import Any

SECTION_TITLE = "## Suggestions on live data"
AFTER_TITLE = "## Suggestions"
TARGET_P99_MS = 50.0
ROUTES = {
    "http": "`GET /api/v2/suggestions?limit=20` through Django's test Client in the "
    "benchmark's process (routing, middleware, token authentication, response schema; no "
    "socket)",
    "selector": "`selectors.suggestions_for(viewer, limit=20)` called directly (the API "
    "route did not exist yet)",
}


def _ms(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.1f}"


def _met(report: dict[str, Any]) -> bool:
    return bool(report["route"]["p99_ms"] <= TARGET_P99_MS)


DATABASES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def _db(report: dict[str, Any]) -> str:
    return DATABASES[report.get("db", "sqlite")]


def table(reports: list[dict[str, Any]]) -> str:
    lines = [
        "| database | teachers | follows | route p50 / p99 ms (requests) "
        "| route CPU p50 / p99 ms | baseline p50 / p99 ms (requests) "
        "| baseline / route, p50 and p99 | snapshot build s | snapshot load s | p99 <= 50 ms |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in reports:
        route, base, snap = r["route"], r["baseline"], r["snapshot"]
        lines.append(
            f"| {_db(r)} | {r['teachers']:,} | {snap['follows']:,} "
            f"| {_ms(route['p50_ms'])} / {_ms(route['p99_ms'])} ({route['requests']}) "
            f"| {_ms(route['cpu_p50_ms'])} / {_ms(route['cpu_p99_ms'])} "
            f"| {_ms(base['p50_ms'])} / {_ms(base['p99_ms'])} ({base['requests']}) "
            f"| {r['ratio_p50']}x / {r['ratio_p99']}x "
            f"| {snap['build_s']:.1f} | {snap['load_s_median']:.2f} "
            f"| {'met' if _met(r) else '**missed**'} |"
        )
    return "\n".join(lines)


def band_table(reports: list[dict[str, Any]]) -> str:
    lines = [
        "| database | teachers | viewers following | route requests | route p50 / p99 ms "
        "| baseline requests | baseline p50 / p99 ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in reports:
        for band, route in r["route"]["bands"].items():
            base = r["baseline"]["bands"].get(band)
            base_text = (
                f"{base['requests']} | {_ms(base['p50_ms'])} / {_ms(base['p99_ms'])}"
                if base
                else "0 | -"
            )
            label = "none yet, joined after the snapshot" if band == "new" else band
            lines.append(
                f"| {_db(r)} | {r['teachers']:,} | {label} | {route['requests']} "
                f"| {_ms(route['p50_ms'])} / {_ms(route['p99_ms'])} | {base_text} |"
            )
    return "\n".join(lines)


def breakdown_table(reports: list[dict[str, Any]]) -> str:
    lines = [
        "| database | teachers | part | p50 ms | p99 ms |",
        "|---|---|---|---|---|",
    ]
    for r in reports:
        for part, figures in r.get("breakdown", {}).items():
            lines.append(
                f"| {_db(r)} | {r['teachers']:,} | {part} | {_ms(figures['p50_ms'])} "
                f"| {_ms(figures['p99_ms'])} |"
            )
    return "\n".join(lines)


def json_line(reports: list[dict[str, Any]]) -> str:
    sizes = [
        {
            "database": r.get("db", "sqlite"),
            "teachers": r["teachers"],
            "follows": r["snapshot"]["follows"],
            "route_kind": r["route_kind"],
            "route_p50_ms": r["route"]["p50_ms"],
            "route_p99_ms": r["route"]["p99_ms"],
            "baseline_p50_ms": r["baseline"]["p50_ms"],
            "baseline_p99_ms": r["baseline"]["p99_ms"],
            "ratio_p50": r["ratio_p50"],
            "ratio_p99": r["ratio_p99"],
            "snapshot_build_s": r["snapshot"]["build_s"],
            "snapshot_load_s": r["snapshot"]["load_s_median"],
            "agreement": r["agreement"],
            "p99_target_met": _met(r),
        }
        for r in reports
    ]
    return json.dumps({"benchmark": "suggestions", "sizes": sizes})


def _machine(reports: list[dict[str, Any]]) -> str:
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 2**20:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"Machine: {os.cpu_count()} cores{mem}, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, "
        f"{' and '.join(dict.fromkeys(_db(r) for r in reports))} on the same machine; "
        "shared with other work."
    )


def section(reports: list[dict[str, Any]], *, command: str) -> str:
    kind = reports[0]["route_kind"]
    agree = ", ".join(
        f"{_db(r)} {r['teachers']:,}: {r['agreement']['identical']} of {r['agreement']['compared']}"
        for r in reports
    )
    parts = [
        SECTION_TITLE,
        "",
        "Suggestions for one teacher on the live data path (the latest graph snapshot plus "
        "the teacher's own rows, read per request), against a baseline measured in the same "
        "run on the same viewers: the same request, except that it reads the whole follow "
        "graph, profile terms, lists and post counts from the database and precomputes the "
        "engine's arrays every time (`bench/suggestions_baseline.py`). Command:",
        "",
        f"    {command}",
        "",
        _machine(reports),
        "",
        f"Route: {ROUTES[kind]}. Requests one at a time (each latency is one request's own "
        "time), round-robin over the viewers, after one untimed round; wall clock, "
        "nearest-rank percentiles (CPU: the thread's CPU time, which waiting for a "
        "core does not count). With 20 or fewer baseline requests its p99 is its "
        "slowest request. Network: `bench/suggestions_network.py` (subjects, grade bands, "
        "practices and tags from the taxonomy; log-normal follow counts, about 50 on "
        "average, 60% inside the teacher's subject and band; 2 recent posts per teacher; 2% "
        "keep a purpose list), seed 42. Snapshot build: `snapshot_build()` (the periodic "
        "job); load: `snapshot_decode()` (each worker, once per snapshot), median of "
        f"{len(reports[0]['snapshot']['load_s'])}. Baseline and route answers identical "
        f"(same 20 accounts in the same order) for {agree} viewers compared.",
        "",
        table(reports),
        "",
        "### By viewer",
        "",
        band_table(reports),
        "",
    ]
    if any(r.get("breakdown") for r in reports):
        parts += ["### Where a request's time goes", "", breakdown_table(reports), ""]
    return "\n".join(parts)


def write_section(path: Path, text: str) -> None:
    """Replace the section (up to the next "## "), or insert it after "## Suggestions"."""
    current = path.read_text() if path.exists() else "# Benchmarks\n"
    own = re.compile(rf"^{re.escape(SECTION_TITLE)}\n.*?(?=^## |\Z)", re.S | re.M)
    after = re.compile(rf"^{re.escape(AFTER_TITLE)}\n.*?(?=^## |\Z)", re.S | re.M)
    if own.search(current):
        updated = own.sub(lambda _m: text + "\n", current, count=1)
    elif found := after.search(current):
        updated = current[: found.end()] + text + "\n" + current[found.end() :]
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    path.write_text(updated.rstrip("\n") + "\n")
