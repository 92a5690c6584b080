"""`python -m bench search`: full-text search against `LIKE '%word%'`, on SQLite, PostgreSQL
or both. Each database runs in its own child process (`python -m bench search-run`); this
process prints the tables and, with `--write`, replaces the "Search" section of
BENCHMARKS.md."""

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
from bench.feeds import default_dir, default_pg_url, machine_note
from bench.report import write_section

FULL_SCALE = (10_000, 1_000_000)
RUN_TIMEOUT_SECONDS = 3 * 3600
TITLE = "## Search"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--teachers", type=int, default=FULL_SCALE[0])
    parser.add_argument("--posts", type=int, default=FULL_SCALE[1])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--reps", type=int, default=200, help="searches timed per query")
    parser.add_argument(
        "--baseline-reps", type=int, default=20, help="LIKE queries timed per query"
    )
    parser.add_argument("--post-reps", type=int, default=100, help="posts timed per mode")
    parser.add_argument("--pg-url", default=default_pg_url())
    parser.add_argument("--dir", default=str(default_dir()), help="cache and run folder")
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md")
    parser.add_argument("--build-only", action="store_true", help="only build the cached data")


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    add_arguments(parser)
    parser.add_argument("--out", required=True)


def _child_argv(args: argparse.Namespace, db: str, out: Path) -> list[str]:
    argv = [sys.executable, "-m", "bench", "search-run", "--db", db, "--out", str(out)]
    for name in (
        "teachers",
        "posts",
        "seed",
        "reps",
        "baseline_reps",
        "post_reps",
        "pg_url",
        "dir",
    ):
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


def searches_table(reports: list[dict[str, Any]]) -> str:
    lines = [
        "| database | query | results | search p50 / p99 ms | LIKE p50 / p99 ms "
        "| LIKE / search (p50) |",
        "|---|---|---|---|---|---|",
    ]
    for report in reports:
        for name, row in report.get("searches", {}).items():
            engine, like = row["engine"], row["like"]
            lines.append(
                f"| {report['db']} | {name} (`{row['query']}`) | {row['results']} "
                f"| {engine['p50_ms']} / {engine['p99_ms']} (n={engine['n']}) "
                f"| {like['p50_ms']} / {like['p99_ms']} (n={like['n']}) | {row['speedup_p50']}x |"
            )
    return "\n".join(lines)


def upkeep_table(reports: list[dict[str, Any]]) -> str:
    lines = [
        "| database | rebuild: posts | rebuild: accounts | posting p50 / p99 ms, with index "
        "| without | index write alone p50 / p99 ms | merge job after posting |",
        "|---|---|---|---|---|---|---|",
    ]
    for report in reports:
        if "posting" not in report:
            continue
        rebuild, posting = report["rebuild"], report["posting"]
        merge = report.get("merge", {})
        merged = f"{merge['steps']} steps, slowest {merge['max_step_ms']} ms" if merge else "-"
        lines.append(
            f"| {report['db']} | {rebuild['statuses_documents']:,} in {rebuild['statuses_s']} s "
            f"| {rebuild['accounts_documents']:,} in {rebuild['accounts_s']} s "
            f"| {posting['with_index']['p50_ms']} / {posting['with_index']['p99_ms']} "
            f"| {posting['without_index']['p50_ms']} / {posting['without_index']['p99_ms']} "
            f"| {posting['index_write']['p50_ms']} / {posting['index_write']['p99_ms']} "
            f"| {merged} |"
        )
    return "\n".join(lines)


def _machine() -> str:
    """The machine line, in the words of this benchmark (no server, no load client)."""
    first = machine_note().split(";")[0]
    return (
        f"{first}; the benchmark and the database share it (and, here, other work). Each "
        "search is `search.selectors.search(viewer, q, kinds=['statuses'])` for one of 50 "
        "teachers in turn, 20 results; LIKE is `findable_statuses(viewer)` (the same "
        "visibility and Mastodon 4.2 rule) filtered by `content LIKE '%word%'`, newest "
        "first, 20. Posting is `status_create`, with and without the search subscribers."
    )


def main(args: argparse.Namespace) -> int:
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    reports = [run_database(args, db) for db in dbs]
    saved = Path(args.dir) / "search-last.json"
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text(json.dumps({"argv": sys.argv[1:], "reports": reports}, indent=2))
    if args.build_only:
        return 0
    print(searches_table(reports))
    print()
    print(upkeep_table(reports))
    print(json.dumps({"search": reports}))
    if args.write:
        command = "python -m bench search " + " ".join(
            shlex.quote(part) for part in sys.argv[2:] if part != "--write"
        )
        full = (args.teachers, args.posts) == FULL_SCALE
        scale = f"{args.teachers:,} teachers and {args.posts:,} posts"
        note = "" if full else " (a reduced scale: the target scale is 10,000 and 1,000,000)"
        text = "\n\n".join(
            [
                TITLE,
                f"`{command.strip()}`: {scale}{note}.",
                searches_table(reports),
                upkeep_table(reports),
                _machine(),
            ]
        )
        write_section(ROOT / "BENCHMARKS.md", text, title=TITLE)
        print("BENCHMARKS.md updated")
    return 0
