"""`python -m bench suggestions`: who-to-follow for one teacher on the live data path, at one
or more network sizes, beside a baseline that recomputes from the whole follow graph per
request (measured in the same run, on the same viewers).

Each size runs in its own child process (`python -m bench suggestions-run`), since Django
is set up once per database; this process collects the figures, prints the table and a
JSON line and, with `--write`, replaces the "Suggestions on live data" section of
BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.databases import ROOT
from bench.feeds import default_dir, default_pg_url
from bench.suggestions_report import json_line, section, table, write_section

RUN_TIMEOUT_SECONDS = 3600
DEFAULT_SIZES = "10000,100000"


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a list of sizes: {text!r}") from error
    if not sizes or min(sizes) < 100:
        raise argparse.ArgumentTypeError("sizes are whole numbers of at least 100")
    return sizes


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--teachers", type=_sizes, default=_sizes(DEFAULT_SIZES), help="sizes, comma-separated"
    )
    parser.add_argument("--requests", type=int, default=400, help="route requests per size")
    parser.add_argument(
        "--baseline-requests", type=int, default=10, help="baseline requests per size (slow)"
    )
    parser.add_argument("--viewers-per-band", type=int, default=10)
    parser.add_argument("--loads", type=int, default=3, help="snapshot decodes timed per size")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="sqlite")
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


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """The child's arguments: one size on one database, and where to write its figures."""
    add_arguments(parser)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--out", required=True)


def _databases(choice: str) -> list[str]:
    return ["sqlite", "postgres"] if choice == "both" else [choice]


def _child_argv(args: argparse.Namespace, db: str, teachers: int, out: Path) -> list[str]:
    argv = [sys.executable, "-m", "bench", "suggestions-run", "--size", str(teachers)]
    argv += ["--db", db, "--out", str(out)]
    names = ("requests", "baseline_requests", "viewers_per_band", "loads", "seed", "pg_url", "dir")
    for name in names:
        argv += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
    return [*argv, "--build-only"] if args.build_only else argv


def run_size(args: argparse.Namespace, db: str, teachers: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        subprocess.run(  # noqa: S603 - our own interpreter and module
            _child_argv(args, db, teachers, out),
            cwd=ROOT,
            env=env,
            check=True,
            timeout=RUN_TIMEOUT_SECONDS,
        )
        result: dict[str, Any] = json.loads(out.read_text())
        return result


def main(args: argparse.Namespace) -> int:
    reports = [
        run_size(args, db, teachers) for db in _databases(args.db) for teachers in args.teachers
    ]
    saved = Path(args.dir) / "suggestions-last.json"
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text(json.dumps({"argv": sys.argv[1:], "reports": reports}, indent=2))
    if args.build_only:
        return 0
    print(table(reports))
    print(json_line(reports))
    if args.write:
        command = "python -m bench suggestions " + " ".join(
            shlex.quote(part) for part in sys.argv[2:] if part != "--write"
        )
        write_section(ROOT / "BENCHMARKS.md", section(reports, command=command.strip()))
        print("BENCHMARKS.md updated")
    return 0
