"""The feeds benchmark's table, its targets, and the "Feeds" section of BENCHMARKS.md."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

SECTION_TITLE = "## Feeds"
LABELS = {"home": "home (stored rows)", "list": "purpose list", "naive": "home, naive query"}


def _ms(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.1f}"


def _load(scenario: dict[str, Any]) -> str:
    before, after = scenario.get("loadavg", (math.nan, math.nan))
    return f"{before:.1f} / {after:.1f}"


def results_table(reports: list[dict[str, Any]]) -> str:
    lines = [
        "| database | scenario | req/s | p50 ms | p99 ms | p99 ms, viewers following 500+ "
        "| errors | load average before/after |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for report in reports:
        for key, s in report.get("scenarios", {}).items():
            name, _, serial = key.partition("@")
            label = LABELS[name] + (", 1 connection" if serial else "")
            lines.append(
                f"| {report['db']} | {label} | {s['rps']:.0f} | {_ms(s['p50_ms'])} | "
                f"{_ms(s['p99_ms'])} | {_ms(s['heavy_p99_ms'])} ({s['heavy_requests']} req) | "
                f"{s['errors']} | {_load(s)} |"
            )
    return "\n".join(lines)


def posting_table(reports: list[dict[str, Any]]) -> str:
    lines = [
        "| database | followers | POST /api/v1/statuses ms (each) "
        "| in every follower's feed, s (each) |",
        "|---|---|---|---|",
    ]
    for report in reports:
        p = report.get("posting", {})
        if "post_ms" not in p:
            lines.append(f"| {report['db']} | - | {p.get('error', 'not run')} | - |")
            continue
        posts = ", ".join(f"{ms:.0f}" for ms in p["post_ms"])
        reach = ", ".join("not reached" if math.isnan(s) else f"{s:.2f}" for s in p["reach_s"])
        lines.append(f"| {report['db']} | {p['followers']} | {posts} | {reach} |")
    return "\n".join(lines)


def _scenario(reports: list[dict[str, Any]], db: str, name: str) -> dict[str, Any] | None:
    for report in reports:
        if report["db"] == db:
            found: dict[str, Any] | None = report.get("scenarios", {}).get(name)
            return found
    return None


def _status(ok: bool) -> str:
    return "met" if ok else "**missed**"


def targets_table(reports: list[dict[str, Any]]) -> str:
    rows = []
    sqlite_home = _scenario(reports, "sqlite", "home")
    pg_home = _scenario(reports, "postgres", "home")
    if sqlite_home:
        rps, p99 = sqlite_home["rps"], sqlite_home["p99_ms"]
        rows.append(("home on SQLite: >= 300 req/s", f"{rps:.0f} req/s", rps >= 300))
        rows.append(("home on SQLite: p99 <= 25 ms", f"{_ms(p99)} ms", p99 <= 25))
    if sqlite_home and pg_home:
        ratio = pg_home["rps"] / sqlite_home["rps"] if sqlite_home["rps"] else math.nan
        p99_ratio = pg_home["p99_ms"] / sqlite_home["p99_ms"]
        rows.append((
            "home on PostgreSQL at most 1.5x slower than on SQLite (req/s and p99)",
            f"PostgreSQL {ratio:.2f}x SQLite's req/s, {p99_ratio:.2f}x its p99",
            ratio >= 1 / 1.5 and p99_ratio <= 1.5,
        ))  # fmt: skip
    for report in reports:
        for suffix, how in (
            ("", f"{report['db']}, loaded"),
            ("@1", f"{report['db']}, 1 connection"),
        ):
            home = _scenario(reports, report["db"], "home" + suffix)
            naive = _scenario(reports, report["db"], "naive" + suffix)
            if home and naive:
                stored, direct = home["heavy_p99_ms"], naive["heavy_p99_ms"]
                rows.append((
                    f"{how}, viewers following 500+: home p99 <= 1/10 of naive",
                    f"{_ms(stored)} vs {_ms(direct)} ms = 1/{direct / stored:.1f}",
                    stored * 10 <= direct,
                ))  # fmt: skip
        p = report.get("posting", {})
        if "post_ms" in p:
            worst_post = max(p["post_ms"])
            rows.append(
                (f"{report['db']}: posting <= 50 ms", f"max {worst_post:.0f} ms", worst_post <= 50)
            )
            reach = p["reach_s_max"]
            rows.append((
                f"{report['db']}: in every follower's feed <= 10 s",
                f"max {'not reached' if math.isnan(reach) else f'{reach:.2f} s'}",
                not math.isnan(reach) and reach <= 10,
            ))  # fmt: skip
    lines = ["| target | measured | status |", "|---|---|---|"]
    lines += [f"| {target} | {measured} | {_status(ok)} |" for target, measured, ok in rows]
    return "\n".join(lines)


def section(reports: list[dict[str, Any]], *, command: str, machine: str, note: str) -> str:
    first = reports[0]
    parts = [
        SECTION_TITLE,
        "",
        f"Stored home feeds (fan-out on write) against the naive query, measured with "
        f"{first['users']:,} teachers and {first['posts']:,} posts{note}. Command:",
        "",
        f"    {command}",
        "",
        machine,
        "",
        "### Targets",
        "",
        targets_table(reports),
        "",
        "### Reads (limit=20)",
        "",
        results_table(reports),
        "",
        "### Posting (the teacher every other teacher follows)",
        "",
        posting_table(reports),
        "",
    ]
    return "\n".join(parts)


def write_section(path: Path, text: str, title: str = SECTION_TITLE) -> None:
    """Replace the `title` section of `path` (up to the next "## "), or append it."""
    current = path.read_text() if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        updated = pattern.sub(lambda _m: text + "\n", current, count=1)
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    path.write_text(updated.rstrip("\n") + "\n")
