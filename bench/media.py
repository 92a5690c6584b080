"""`python -m bench media`: upload to ready for a photo, audio, a video and a PDF, the
sandboxed worker's time and peak memory, and the home timeline with media against text-only.

One command, one process that orchestrates: it draws (or finds in `--dir`) the inputs, sets
Django up on a throwaway copy of a small SQLite database, reads the worker's limits from the
settings, then measures. Each processing measurement runs in a fresh probe process
(`bench/media_probe.py`), because the one exact figure for a child's peak memory is the
parent's RUSAGE_CHILDREN, and a probe has exactly one child. Upload to ready and the
timeline run here, on the database. Prints the tables and a JSON line; `--write` replaces
the "## Media" section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bench.databases import ROOT, SqliteDatabase
from bench.media_inputs import FILES, ensure_inputs
from bench.media_report import (
    SECTION_TITLE,
    breakdown_table,
    json_line,
    memory_table,
    section,
    targets_table,
    time_table,
    timeline_table,
)
from bench.media_timeline import timeline_spec
from bench.report import write_section

DOMAIN = "bench.staffroom.invalid"
PROBE_TIMEOUT_SECONDS = 600
MODES = ("startup", "baseline", "inprocess", "ours")
INPUTS_ABOUT = (
    "a 4000x3000 JPEG at quality 90 with smooth light, fine texture and mild noise, so it "
    "compresses like a phone photo, with camera and GPS EXIF; 3 minutes of 44.1 kHz stereo "
    "AAC at 128 kbit/s in M4A (a gliding tone with harmonics under noise); 30 s of 1280x720 "
    "30 fps H.264 at 5 Mbit/s (libx264 veryfast, a keyframe every 2 s; a drifting textured "
    "scene, a moving disc and per-frame noise) with 128 kbit/s AAC, in MP4; a 20-page "
    "worksheet drawn with Pillow (text, ruled lines, charts), saved as a PDF of page images, "
    "with /Author and /Title added by pypdf."
)


def _log(message: str) -> None:
    print(message, flush=True)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--runs", type=int, default=5, help="runs of each measurement")
    parser.add_argument(
        "--dir", default=None, help="keep inputs and the database cache here (default: temp)"
    )
    parser.add_argument("--timeline-rounds", type=int, default=20)
    parser.add_argument("--timeline-pages", type=int, default=15, help="pages per half a round")
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md")


def _setup_django(db: SqliteDatabase) -> dict[str, Any]:
    """Django on the run copy of the database, with the upload rate limit out of the way;
    answers the worker's limits exactly as `media.services` builds them from the settings."""
    os.environ.pop("DATABASE_URL", None)  # SQLite, whatever the shell says
    os.environ.update(db.env(), STAFFROOM_DOMAIN=DOMAIN, STAFFROOM_MEDIA_UPLOAD_LIMIT="1000000")
    import django

    django.setup()
    from staffroom.media.services import processing_limits, sandbox_limits

    sandbox = sandbox_limits()
    return {
        "processing": processing_limits().as_dict(),
        "sandbox": {
            "memory_bytes": sandbox.memory_bytes,
            "cpu_seconds": sandbox.cpu_seconds,
            "wall_seconds": sandbox.wall_seconds,
        },
    }


def probe(mode: str, kind: str, path: Path, limits: dict[str, Any]) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.media_probe", mode, kind, str(path)]
    finished = subprocess.run(  # noqa: S603 - our own interpreter and module
        command,
        input=json.dumps(limits),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=PROBE_TIMEOUT_SECONDS,
        check=False,
    )
    if finished.returncode != 0:
        raise RuntimeError(f"probe {mode} {kind} failed: {finished.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(finished.stdout.strip().splitlines()[-1])
    return result


def measure_processing(
    inputs: dict[str, Path], limits: dict[str, Any], runs: int
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """`runs` rounds; in each, every kind's start-up, baseline, in-process and sandboxed
    run, so a slow minute on this shared machine lands on all of them, not on one kind."""
    results: dict[str, dict[str, list[dict[str, Any]]]] = {
        kind: {mode: [] for mode in MODES} for kind in inputs
    }
    for run in range(runs):
        for kind, path in inputs.items():
            for mode in MODES:
                results[kind][mode].append(probe(mode, kind, path, limits))
        ours = ", ".join(f"{k} {r['ours'][-1]['seconds']:.2f}s" for k, r in results.items())
        _log(f"  processing, run {run + 1}/{runs}: {ours}")
    return results


def _versions() -> str:
    from importlib.metadata import version

    import av

    return (
        f"Pillow {version('pillow')}, PyAV {version('av')} (FFmpeg {av.ffmpeg_version_info}), "
        f"pypdf {version('pypdf')}, pypdfium2 {version('pypdfium2')}"
    )


def machine_note(loadavg: tuple[float, float]) -> str:
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 2**20:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"Machine: {os.cpu_count()} cores{mem}, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, {_versions()}; shared with other work (load "
        f"average {loadavg[0]:.1f} before the run, {loadavg[1]:.1f} after)."
    )


def run(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    started = time.monotonic()
    loadavg_before = os.getloadavg()[0]
    inputs = ensure_inputs(folder, _log)
    db = SqliteDatabase(folder, timeline_spec())
    limits = _setup_django(db)
    report: dict[str, Any] = {
        "runs": args.runs,
        "limits": limits["sandbox"],
        "inputs": {k: {"name": FILES[k], "bytes": p.stat().st_size} for k, p in inputs.items()},
        "inputs_about": INPUTS_ABOUT,
    }
    report["processing"] = measure_processing(inputs, limits, args.runs)
    if not db.is_cached():
        _log("timeline database: building (once per schema and generator)")
        db.build(DOMAIN, _log)
    db.prepare_run(_log)
    try:
        from bench.media_ready import measure_ready
        from bench.media_timeline import measure_timeline

        report["ready"] = measure_ready(inputs, args.runs, _log)
        report["timeline"] = measure_timeline(args.timeline_rounds, args.timeline_pages, _log)
    finally:
        from django.db import connections

        connections.close_all()
        db.drop_run()
    report["loadavg"] = (loadavg_before, os.getloadavg()[0])
    report["seconds"] = round(time.monotonic() - started, 1)
    return report


def main(args: argparse.Namespace) -> int:
    with ExitStack() as stack:
        if args.dir:
            folder = Path(args.dir)
        else:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-media-")))
        folder.mkdir(parents=True, exist_ok=True)
        report = run(args, folder)
        (folder / "media-last.json").write_text(json.dumps(report, indent=2))
    print()
    for table in (targets_table, time_table, memory_table, timeline_table, breakdown_table):
        print(table(report))
        print()
    print(json_line(report))
    _log(f"(whole run: {report['seconds']} s)")
    if args.write:
        parts = [part for part in sys.argv[2:] if part != "--write"]
        command = " ".join(["python -m bench media", *map(shlex.quote, parts)])
        text = section(report, command=command, machine=machine_note(report["loadavg"]))
        write_section(ROOT / "BENCHMARKS.md", text, SECTION_TITLE)
        print("BENCHMARKS.md updated")
    return 0
