"""The media benchmark's tables, its JSON line and the "## Media" section of BENCHMARKS.md.

Every figure is a median over the runs of one invocation, except memory, where the worst
run is what a ceiling has to hold: peaks are the largest of the runs.
"""

from __future__ import annotations

import json
import statistics
from typing import Any

SECTION_TITLE = "## Media"
LABELS = {
    "image": "12 MP JPEG photo",
    "audio": "3 min AAC audio",
    "video": "30 s 720p H.264 video",
    "document": "20-page PDF",
}
TIMELINE_TARGET = 1.10
MIB = 1024  # KiB per MiB


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def summary(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per kind: medians of the times, worst peaks of the memory."""
    rows = {}
    for kind, runs in report["processing"].items():
        ours, base, start = runs["ours"], runs["baseline"], runs["startup"]
        alone = runs["inprocess"]
        ready = report.get("ready", {}).get(kind, [])
        ours_s = _median([r["seconds"] for r in ours])
        base_s = _median([r["seconds"] for r in base])
        rows[kind] = {
            "input_mb": report["inputs"][kind]["bytes"] / 1e6,
            "ready_s": _median(ready),
            "ours_s": ours_s,
            "ours_min_s": min(r["seconds"] for r in ours),
            "ours_max_s": max(r["seconds"] for r in ours),
            "startup_s": _median([r["seconds"] for r in start]),
            "inprocess_s": _median([r["seconds"] for r in alone]),
            "baseline_s": base_s,
            "ratio": ours_s / base_s,
            "inprocess_ratio": _median([r["seconds"] for r in alone]) / base_s,
            "inprocess_rss_mib": max(r["peak_rss_kib"] for r in alone) / MIB,
            "child_cpu_s": _median([r["cpu_s"] for r in ours]),
            "child_rss_mib": max(r["peak_rss_kib"] for r in ours) / MIB,
            "child_vm_mib": max(r["vm_peak_kib"] for r in ours) / MIB,
            "startup_rss_mib": max(r["peak_rss_kib"] for r in start) / MIB,
            "baseline_rss_mib": max(r["peak_rss_kib"] for r in base) / MIB,
            "probe_rss_mib": max(r["probe_rss_kib"] for r in ours) / MIB,
            "sampled_rss_mib": max(r["sampled_rss_kib"] for r in ours) / MIB,
            "written": ours[0]["written"],
        }
    return rows


def _size(size: float) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} kB"


def time_table(report: dict[str, Any]) -> str:
    lines = [
        "| input | size | upload to ready, s | sandboxed processing, s (min-max) "
        "| child start-up, s | same processor in process, s | baseline, s "
        "| sandboxed / baseline | in process / baseline |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for kind, s in summary(report).items():
        lines.append(
            f"| {LABELS[kind]} | {s['input_mb']:.1f} MB | {s['ready_s']:.2f} | "
            f"{s['ours_s']:.2f} ({s['ours_min_s']:.2f}-{s['ours_max_s']:.2f}) | "
            f"{s['startup_s']:.2f} | {s['inprocess_s']:.2f} | {s['baseline_s']:.3f} | "
            f"{s['ratio']:.1f}x | {s['inprocess_ratio']:.1f}x |"
        )
    return "\n".join(lines)


def memory_table(report: dict[str, Any]) -> str:
    ceiling = report["limits"]["memory_bytes"] / 2**20
    cpu = report["limits"]["cpu_seconds"]
    lines = [
        f"| input | child peak RSS, MiB | child peak address space, MiB (of {ceiling:,.0f}) "
        f"| child CPU, s (of {cpu}) | start-up child RSS, MiB | baseline process RSS, MiB "
        "| written (file + preview) |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind, s in summary(report).items():
        written = " + ".join(_size(size) for _name, size in sorted(s["written"].items()))
        lines.append(
            f"| {LABELS[kind]} | {s['child_rss_mib']:.0f} | {s['child_vm_mib']:.0f} "
            f"({s['child_vm_mib'] / ceiling:.0%}) | {s['child_cpu_s']:.2f} | "
            f"{s['startup_rss_mib']:.0f} | {s['baseline_rss_mib']:.0f} | {written} |"
        )
    return "\n".join(lines)


def memory_note(report: dict[str, Any]) -> str:
    """Whether each child's ru_maxrss is its own: Linux starts it at the parent's peak."""
    rows = summary(report).values()
    floor = max(s["probe_rss_mib"] for s in rows)
    own = all(s["child_rss_mib"] > s["probe_rss_mib"] for s in rows)
    sampled = ", ".join(f"{s['sampled_rss_mib']:.0f}" for s in rows)
    verdict = (
        "under every child's figure, so each is the child's own"
        if own
        else (
            "**not** under every child's figure: a figure at the floor is the probe's, not the "
            "child's"
        )
    )
    return (
        f"The probes' own peak RSS was at most {floor:.0f} MiB ({verdict}); RSS sampled from "
        f"`/proc` during the runs, a lower bound, reached {sampled} MiB."
    )


def timeline_table(report: dict[str, Any]) -> str:
    t = report["timeline"]
    lines = [
        "| home page (20 posts) | wall ms / page | CPU ms / page | queries / page "
        "| attachments / page | JSON KiB / page |",
        "|---|---|---|---|---|---|",
    ]
    for half, label in (("text", "text-only posts"), ("media", "1-4 attachments per post")):
        h = t[half]
        lines.append(
            f"| {label} | {h['wall_ms']:.2f} | {h['cpu_ms']:.2f} | {h['queries']} | "
            f"{h['attachments']} | {h['bytes'] / 1024:.1f} |"
        )
    lines.append(
        f"| media / text | {t['ratio_wall']:.2f}x | {t['ratio_cpu']:.2f}x | "
        f"{t['media']['queries'] - t['text']['queries']:+d} | | "
        f"{t['media']['bytes'] / t['text']['bytes']:.1f}x |"
    )
    return "\n".join(lines)


def breakdown_table(report: dict[str, Any]) -> str:
    """Where the media page's extra CPU goes (the parts attachments touch)."""
    t = report["timeline"]
    parts = (
        ("attachments_ms", "attachments' query, rows and entities"),
        ("json_ms", "JSON encoding of the whole page"),
    )
    lines = [
        "| part of a page (CPU ms, median) | text-only | with media | difference |",
        "|---|---|---|---|",
    ]
    total = 0.0
    for key, label in parts:
        text, media = t["text"]["breakdown"][key], t["media"]["breakdown"][key]
        total += media - text
        lines.append(f"| {label} | {text:.2f} | {media:.2f} | {media - text:+.2f} |")
    whole = t["media"]["cpu_ms"] - t["text"]["cpu_ms"]
    lines.append(f"| sum of the parts / whole page | | | {total:+.2f} / {whole:+.2f} |")
    return "\n".join(lines)


def _status(ok: bool) -> str:
    return "met" if ok else "**missed**"


def targets_table(report: dict[str, Any]) -> str:
    t = report["timeline"]
    rows = summary(report)
    ceiling = report["limits"]["memory_bytes"] / 2**20
    worst = max(rows.values(), key=lambda s: s["child_vm_mib"])
    lines = ["| target | measured | status |", "|---|---|---|"]
    lines.append(
        f"| home page with media-rich posts within {TIMELINE_TARGET:.2f}x of text-only "
        f"| {t['ratio_wall']:.2f}x wall, {t['ratio_cpu']:.2f}x CPU (medians) "
        f"| {_status(t['ratio_wall'] <= TIMELINE_TARGET)} |"
    )
    lines.append(
        f"| attachments cost no extra query per page | {t['text']['queries']} and "
        f"{t['media']['queries']} queries | "
        f"{_status(t['media']['queries'] == t['text']['queries'])} |"
    )
    lines.append(
        f"| every input processed under the {ceiling:,.0f} MiB ceiling | worst peak address "
        f"space {worst['child_vm_mib']:.0f} MiB, RSS {worst['child_rss_mib']:.0f} MiB "
        f"| {_status(all(s['child_vm_mib'] < ceiling for s in rows.values()))} |"
    )
    return "\n".join(lines)


def json_line(report: dict[str, Any]) -> str:
    kinds = {
        kind: {key: value for key, value in s.items() if key != "written"}
        for kind, s in summary(report).items()
    }
    t = report["timeline"]
    return json.dumps({
        "benchmark": "media",
        "runs": report["runs"],
        "kinds": {kind: {k: round(v, 4) for k, v in s.items()} for kind, s in kinds.items()},
        "timeline": {
            "text_wall_ms": round(t["text"]["wall_ms"], 3),
            "media_wall_ms": round(t["media"]["wall_ms"], 3),
            "ratio_wall": round(t["ratio_wall"], 3),
            "ratio_cpu": round(t["ratio_cpu"], 3),
            "text_queries": t["text"]["queries"],
            "media_queries": t["media"]["queries"],
            "target_met": t["ratio_wall"] <= TIMELINE_TARGET,
        },
    })  # fmt: skip


def section(report: dict[str, Any], *, command: str, machine: str) -> str:
    limits = report["limits"]
    t = report["timeline"]
    parts = [
        SECTION_TITLE,
        "",
        "Upload to ready for the four kinds of attachment, the worker's sandboxed child's time "
        "and memory, and the home timeline with media-rich posts against text-only, all "
        "measured in one run. Command:",
        "",
        f"    {command}",
        "",
        machine,
        "",
        f"Inputs are drawn by `bench/media_inputs.py`: {report['inputs_about']} Each figure "
        f"is the median of {report['runs']} runs (peaks: the largest run). Sandboxed "
        "processing is `media.sandbox.run_sandboxed` with the settings' limits "
        f"({limits['memory_bytes'] / 2**20:,.0f} MiB of address space, "
        f"{limits['cpu_seconds']} s of CPU), each run in a fresh probe process "
        "(`bench/media_probe.py`) whose only child is the sandbox's, so "
        "`RUSAGE_CHILDREN.ru_maxrss` is that child's peak RSS; its peak address space (the "
        "ceiling's measure) is sampled from `/proc` every 2 ms, a lower bound. Child start-up "
        "is a fresh `python -P` with the sandbox's environment importing the kind's "
        "processor module, the fixed part of each run. The same processor in process is "
        "`media.processing.process` called directly, imports untimed: the checks and the "
        "files written (preview, poster, blurhash, waveform) without the sandbox. The "
        "baseline is the same library's minimal job on the same file in a process of its "
        "own, timed around the operation only: Pillow decode and JPEG encode at full size "
        "(quality 85), a PyAV stream copy into the same container, pypdf read and write. "
        "Upload to ready is "
        "`media.services.media_upload(process_now=True)` on a migrated SQLite database and "
        "file storage, end to end (sniff, quota, store the upload, row, sandbox, store "
        "file and preview, row ready).",
        "",
        "### Targets",
        "",
        targets_table(report),
        "",
        "### Time",
        "",
        time_table(report),
        "",
        "### Memory and CPU of the sandboxed child",
        "",
        memory_table(report),
        "",
        memory_note(report),
        "",
        "### Home timeline, media-rich against text-only",
        "",
        f"`bench/media_timeline.py`: one viewer following {t['authors']} authors with "
        f"{t['posts']:,} posts (stored feed rows), and a mirror of it where every post has 1 "
        "to 4 ready attachments (images, video, audio, PDFs; files need not exist, entities "
        "only build URLs). A page is `timelines.selectors.home_timeline` (limit 20), "
        "`posts.entities.status_entities` and `core.api.prebuilt.prebuilt_json`, as the home "
        "route after authentication; in process, no HTTP. "
        f"{t['text']['pages']} pages of each, in {t['rounds']} alternating rounds after a "
        "warm-up; medians. Queries counted on one page of each.",
        "",
        timeline_table(report),
        "",
        "Where the difference goes: the parts of a page that attachments touch, each timed "
        "alone on the same page (CPU time).",
        "",
        breakdown_table(report),
        "",
    ]
    return "\n".join(parts)
