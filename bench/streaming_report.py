"""The streaming benchmark's figures (from each connection's arrivals) and its tables, and
the "## Streaming" section of BENCHMARKS.md."""

from __future__ import annotations

import math
import os
import textwrap
import time
from collections.abc import Sequence
from typing import Any

from bench.feeds import machine
from bench.load import percentile
from bench.streaming_clients import Held

SECTION_TITLE = "## Streaming"
WRAP = 92
TARGET_P99_MS = 1000.0
TARGET_HOME_RATIO = 0.85  # with the connections open, at least 85% of the req/s without


def _delays(held: Sequence[Held], returned: dict[str, float]) -> dict[str, Any]:
    """Per transport: the delays (ms) of the arrived events and how many were expected."""
    figures: dict[str, Any] = {}
    for conn in held:
        if not conn.opened:
            continue
        mine = figures.setdefault(conn.transport, {"delays_ms": [], "expected": 0})
        mine["expected"] += len(returned)
        mine["delays_ms"] += [
            (conn.arrivals[status_id] - posted) * 1000
            for status_id, posted in returned.items()
            if status_id in conn.arrivals
        ]
    return figures


def _summary(delays: list[float], expected: int) -> dict[str, Any]:
    return {
        "expected": expected,
        "arrived": len(delays),
        "p50_ms": percentile(delays, 50),
        "p99_ms": percentile(delays, 99),
        "max_ms": max(delays) if delays else math.nan,
    }


def _after_fanout(held: Sequence[Held], fanned_out: dict[str, float]) -> list[float]:
    """Delays (ms) from each post's fan-out having finished to each event."""
    return [
        (conn.arrivals[status_id] - done) * 1000
        for conn in held
        for status_id, done in fanned_out.items()
        if status_id in conn.arrivals
    ]


def latencies(
    held: Sequence[Held], returned: dict[str, float], *, fanned_out: dict[str, float]
) -> dict[str, Any]:
    """Delay from each POST returning to each open connection's event: overall and per
    transport; connections that never opened are counted apart. Where it goes: POST to the
    end of the fan-out (`fanned_out`: status id -> when every follower's feed had it), and
    from there to the event."""
    per = _delays(held, returned)
    every = [ms for figures in per.values() for ms in figures["delays_ms"]]
    fanout = [(fanned_out[i] - posted) * 1000 for i, posted in returned.items() if i in fanned_out]
    after = _after_fanout(held, fanned_out)
    return {
        "fanout": {
            "posts": len(fanout),
            "p50_ms": percentile(fanout, 50),
            "max_ms": max(fanout) if fanout else math.nan,
        },
        "after_fanout": {
            "events": len(after),
            "p50_ms": percentile(after, 50),
            "p99_ms": percentile(after, 99),
            "max_ms": max(after) if after else math.nan,
        },
        "connections": {t: sum(c.transport == t for c in held) for t in ("websocket", "sse")},
        "never_opened": sum(not c.opened for c in held),
        "delivery": _summary(every, sum(f["expected"] for f in per.values())),
        "by_transport": {
            transport: _summary(figures["delays_ms"], figures["expected"])
            for transport, figures in sorted(per.items())
        },
    }


def _ms(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.0f}"


def _status(ok: bool) -> str:
    return "met" if ok else "**missed**"


def home_reference_rps(report: dict[str, Any]) -> float:
    """The home feed's req/s with no stream open: the mean of the passes before the
    connections opened and after they closed."""
    return float((report["home_without"]["rps"] + report["home_after"]["rps"]) / 2)


def targets_table(report: dict[str, Any]) -> str:
    delivery = report["delivery"]
    without, with_open = home_reference_rps(report), report["home_with"]["rps"]
    ratio = with_open / without if without else math.nan
    opened = report["opened"]
    wanted = report["followers"]
    rows = [
        (f"{wanted:,} connections open", f"{opened:,}", opened == wanted),
        (
            "every expected event arrived",
            f"{delivery['arrived']:,} of {delivery['expected']:,}",
            delivery["arrived"] == delivery["expected"] and opened == wanted,
        ),
        (
            "POST returned to event, p99 <= 1 s",
            f"{_ms(delivery['p99_ms'])} ms",
            delivery["p99_ms"] <= TARGET_P99_MS,
        ),
        (
            "home feed req/s with the connections open within 15% of without",
            f"{with_open:.0f} vs {without:.0f} req/s = {ratio:.2f}x",
            ratio >= TARGET_HOME_RATIO,
        ),
    ]
    lines = ["| target | measured | status |", "|---|---|---|"]
    lines += [f"| {target} | {measured} | {_status(ok)} |" for target, measured, ok in rows]
    return "\n".join(lines)


def delivery_table(report: dict[str, Any]) -> str:
    lines = [
        "| transport | connections | events expected | arrived | p50 ms | p99 ms | max ms |",
        "|---|---|---|---|---|---|---|",
    ]
    rows = [*report["by_transport"].items(), ("all", report["delivery"])]
    for transport, s in rows:
        count = report["connections"].get(transport, sum(report["connections"].values()))
        lines.append(
            f"| {transport} | {count:,} | {s['expected']:,} | {s['arrived']:,} | "
            f"{_ms(s['p50_ms'])} | {_ms(s['p99_ms'])} | {_ms(s['max_ms'])} |"
        )
    return "\n".join(lines)


def resources_table(report: dict[str, Any]) -> str:
    before, after = report["rss_kib"]
    per = (after - before) / report["opened"] if report["opened"] else math.nan
    home = [report["home_without"], report["home_with"], report["home_after"]]
    return "\n".join(
        [
            "| measure | before opening | connections open | after closing |",
            "|---|---|---|---|",
            f"| web workers' RSS, MiB (2 workers) | {before / 1024:.1f} | {after / 1024:.1f} | - |",
            f"| memory per connection, KiB | - | {per:.1f} | - |",
            f"| connections opened, seconds | - | {report['open_s']:.1f} | - |",
            "| connections that had shown a probe post, after each probe | - | "
            + ", ".join(f"{seen:,}" for seen in report["probes_seen"])
            + " | - |",
            "| home feed req/s | " + " | ".join(f"{h['rps']:.0f}" for h in home) + " |",
            "| home feed p50 / p99 ms | "
            + " | ".join(f"{h['p50_ms']:.1f} / {h['p99_ms']:.1f}" for h in home)
            + " |",
            "| home feed errors | " + " | ".join(str(h["errors"]) for h in home) + " |",
            "| load average (1 min) before / after the pass | "
            + " | ".join("{:.1f} / {:.1f}".format(*h["loadavg"]) for h in home)
            + " |",
        ]
    )


def breakdown_table(report: dict[str, Any]) -> str:
    fanout, after, delivery = report["fanout"], report["after_fanout"], report["delivery"]
    lag = report.get("server_streaming", {}).get("broker_lag_ms", {})
    load = report["posts_loadavg"]
    lines = [
        "| step | measured over | p50 ms | p99 ms | max ms |",
        "|---|---|---|---|---|",
        f"| POST returned to event (all of it; load average {load[0]:.1f} before the posts, "
        f"{load[1]:.1f} after) | {delivery['arrived']:,} events | "
        f"{_ms(delivery['p50_ms'])} | {_ms(delivery['p99_ms'])} | {_ms(delivery['max_ms'])} |",
        f"| POST returned to the post in every follower's stored feed (the fan-out job, "
        f"picked up by the task worker) | {fanout['posts']} posts | {_ms(fanout['p50_ms'])} "
        f"| - | {_ms(fanout['max_ms'])} |",
        f"| fan-out done to event (publish, render per viewer, send, read) | "
        f"{after['events']:,} events | {_ms(after['p50_ms'])} | {_ms(after['p99_ms'])} | "
        f"{_ms(after['max_ms'])} |",
    ]
    render = report["render"]
    lines.append(
        f"| of which: `streaming.render.render_payloads` for one worker's share of the "
        f"viewers, timed alone on the same database (median of 3) | {render['viewers']:,} "
        f"viewers | {render['ms']:.0f} | - | - |"
    )
    if lag:
        lines.append(
            "| server's broker lag from `/healthz` (published to queued on every connection "
            "of a worker, rendering included; the worst worker, recent messages) | "
            f"recent messages | {_ms(float(lag.get('p50', math.nan)))} | - | "
            f"{_ms(float(lag.get('max', math.nan)))} |"
        )
    return "\n".join(lines)


def tables(report: dict[str, Any]) -> str:
    parts = [targets_table(report), delivery_table(report), breakdown_table(report)]
    if note := busy_note(report, os.cpu_count() or 1):
        parts.insert(0, note)
    return "\n\n".join([*parts, resources_table(report)])


def busy_note(report: dict[str, Any], cores: int) -> str:
    """A warning when the 1-minute load average passed the core count during the run:
    something else was running, and the delays and req/s are worse than the server's own."""
    passes = (report["home_without"], report["home_with"], report["home_after"])
    highest = max([*report["posts_loadavg"], *(x for h in passes for x in h["loadavg"])])
    if highest <= cores:
        return ""
    return (
        f"**The machine was busy with other work during this run** (1-minute load average up "
        f"to {highest:.1f} on {cores} cores): the delays and the home feed's req/s are worse "
        "than the server's own; rerun on a quiet machine before judging the targets."
    )


def section(report: dict[str, Any], command: str) -> str:
    when = time.strftime("%Y-%m-%d", time.gmtime())
    connections, seconds = report["home_load"]
    prose = [
        f"{report['followers']:,} followers of one teacher, each on the `user` stream over "
        f"its own connection (the first half WebSocket, the rest server-sent events), "
        f"while that teacher posts {report['posts']} times, {report['interval_s']:g} s "
        f"apart; SQLite, with {report['history']:,} posts already there. Measured "
        f"{when}. Command:",
        f"{machine()}; server (`staffroom serve --workers 2`, as shipped), database and "
        "clients share it.",
        "",
        "Delay: from the moment `POST /api/v1/statuses` returned to the benchmark to the "
        "moment the connection's client read the event (one clock, CLOCK_MONOTONIC; the "
        "clients are one asyncio process). Memory: the web workers' RSS from /proc after "
        "the connections opened (and each had shown a probe post) less before, over "
        "the connections. Home feed: `bench feeds`' load on `/api/v1/timelines/home` "
        f"({connections} closed-loop connections for {seconds:g} s after a warm-up, the "
        "followers' tokens, `limit=20`) before the "
        "connections open, with them open and after they closed, in the same run; the "
        "target compares the open pass with the mean of the other two.",
        busy_note(report, os.cpu_count() or 1),
    ]
    wrapped = [textwrap.fill(paragraph, width=WRAP) for paragraph in prose if paragraph]
    return "\n".join(
        [
            SECTION_TITLE,
            "",
            wrapped[0],
            "",
            f"    {command}",
            "",
            "\n\n".join(wrapped[1:]),
            "",
            "### Targets",
            "",
            targets_table(report),
            "",
            "### Delivery",
            "",
            delivery_table(report),
            "",
            "### Where the time goes",
            "",
            breakdown_table(report),
            "",
            "### Memory and the home feed",
            "",
            resources_table(report),
            "",
        ]
    )
