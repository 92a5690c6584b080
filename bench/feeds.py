"""`python -m bench feeds`: the stored-feed benchmark on SQLite, PostgreSQL or both.

Each database runs in its own child process (`python -m bench feeds-run`), so Django is set
up once per database; this process only collects the figures, prints the tables and, with
`--write`, replaces the "Feeds" section of BENCHMARKS.md.
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
from pathlib import Path
from typing import Any

from bench.databases import ROOT
from bench.report import posting_table, results_table, section, targets_table, write_section

RUN_TIMEOUT_SECONDS = 3 * 3600
FULL_SCALE = (10_000, 1_000_000)


def default_pg_url() -> str:
    """The PostgreSQL server the benchmarks make their databases on (BENCH_POSTGRES_URL)."""
    return os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")


def default_dir() -> Path:
    return Path(os.environ.get("STAFFROOM_DATA_DIR", str(ROOT / "data"))) / "bench"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--users", type=int, default=FULL_SCALE[0])
    parser.add_argument("--posts", type=int, default=FULL_SCALE[1])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per scenario")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--serial-duration",
        type=float,
        default=10.0,
        help="seconds per scenario with one connection (0: skip)",
    )
    parser.add_argument(
        "--pg-url",
        default=default_pg_url(),
        help="PostgreSQL server (no database name); the benchmark makes its own databases",
    )
    parser.add_argument("--dir", default=str(default_dir()), help="cache and run folder")
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md")
    parser.add_argument(
        "--build-only", action="store_true", help="only build the cached data, measure nothing"
    )


def _child_argv(args: argparse.Namespace, db: str, out: Path) -> list[str]:
    argv = [sys.executable, "-m", "bench", "feeds-run", "--db", db, "--out", str(out)]
    names = (
        "users",
        "posts",
        "seed",
        "duration",
        "serial_duration",
        "connections",
        "pg_url",
        "dir",
    )
    for name in names:
        argv += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
    return [*argv, "--build-only"] if args.build_only else argv


def run_database(args: argparse.Namespace, db: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        subprocess.run(  # noqa: S603 - our own interpreter and module
            _child_argv(args, db, out), cwd=ROOT, env=env, check=True, timeout=RUN_TIMEOUT_SECONDS
        )
        result: dict[str, Any] = json.loads(out.read_text())
        return result


def machine() -> str:
    """The machine in one line: cores, memory, system, Python."""
    cpus = os.cpu_count()
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 2**20:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"Machine: {cpus} cores{mem}, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}"
    )


def machine_note() -> str:
    return (
        f"{machine()}; server, database and load client share it. "
        "Server: `staffroom serve --workers 2` (uvicorn, access log on, as shipped). "
        "Load: 8 closed-loop keep-alive connections (threads in a separate process), "
        "3 s warm-up then the measured seconds, viewers round-robin over up to 40 teachers "
        "from each follow-count band (20-49, 50-99, 100-199, 200-499, 500-2,000), each page "
        "`limit=20`; then each scenario again over one connection (`--serial-duration` "
        "seconds). With 8 connections the server is saturated and a request's latency is "
        "mostly its wait behind the others (about 8 / req/s); one connection shows the time "
        "the server spends on each page. The naive route (`/api/bench/naive-home`, mounted "
        "only by the benchmark's settings) differs from the home route only in where the "
        "page's ids come from: `timelines.selectors.direct_home_ids`, one query over the "
        "followed authors' posts; authentication, visibility, Status entities and response "
        "schema are the same."
    )


def main(args: argparse.Namespace) -> int:
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    reports = [run_database(args, db) for db in dbs]
    saved = Path(args.dir) / "feeds-last.json"
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text(json.dumps({"argv": sys.argv[1:], "reports": reports}, indent=2))
    if args.build_only:
        return 0
    print(targets_table(reports))
    print()
    print(results_table(reports))
    print()
    print(posting_table(reports))
    if args.write:
        command = "python -m bench feeds " + " ".join(
            shlex.quote(part) for part in sys.argv[2:] if part != "--write"
        )
        full = (args.users, args.posts) == FULL_SCALE
        note = "" if full else " (a reduced scale; the issue's scale is 10,000 and 1,000,000)"
        text = section(reports, command=command.strip(), machine=machine_note(), note=note)
        write_section(ROOT / "BENCHMARKS.md", text)
        print("BENCHMARKS.md updated")
    return 0
