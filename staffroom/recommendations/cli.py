"""`staffroom recs predict|evaluate`: the suggestion engine on a dataset folder.

Runs without Django: no settings, no database, no secret key or data folder. Bad input gives a
one-line message on stderr and exit status 2; an output file is only ever complete (written to
a temporary file in the same folder, then renamed).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

from staffroom.recommendations.engine.api import suggest
from staffroom.recommendations.engine.evaluate import evaluate, latency
from staffroom.recommendations.engine.features import neighbourhood_of, precompute
from staffroom.recommendations.engine.graph import DatasetError, load_dataset, read_queries
from staffroom.recommendations.engine.ranker import DEFAULT_MODEL, Ranker, load_ranker
from staffroom.recommendations.engine.synthetic import synthetic_network

METRICS = ("recall", "precision", "ndcg", "mrr", "coverage", "diversity", "p50_ms", "p99_ms")


class UsageError(Exception):
    """A command-line argument is out of range."""


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="staffroom recs", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    predict = sub.add_parser("predict", help="top-k suggestions for each query user")
    predict.add_argument("dataset")
    predict.add_argument("--users", required=True, help="queries file: one node id per line")
    predict.add_argument("--k", type=_positive, default=10)
    predict.add_argument("--out", required=True)
    predict.add_argument("--model", default=str(DEFAULT_MODEL), help="'none': hand-weighted")
    ev = sub.add_parser("evaluate", help="the ../shared/data/README.md protocol")
    ev.add_argument("dataset")
    ev.add_argument("--users", type=_positive, default=1000)
    ev.add_argument("--seed", type=int, default=42)
    ev.add_argument("--k", type=_positive, default=10)
    ev.add_argument("--mode", choices=("follow", "cold"), default="follow")
    ev.add_argument("--json", action="store_true", help="print one JSON object")
    ev.add_argument("--model", default=str(DEFAULT_MODEL), help="'none': hand-weighted")
    ev.add_argument("--engine-only", action="store_true", help="skip the baselines")
    lat = sub.add_parser("latency", help="per-query latency of the engine, one thread")
    lat.add_argument("dataset", nargs="?", help="a dataset folder (or use --synthetic)")
    lat.add_argument("--synthetic", metavar="USERS:FOLLOWS", help="e.g. 100000:5000000")
    lat.add_argument("--queries", type=_positive, default=500)
    lat.add_argument("--seed", type=int, default=0)
    lat.add_argument("--k", type=_positive, default=10)
    lat.add_argument("--model", default=str(DEFAULT_MODEL), help="'none': hand-weighted")
    return parser


def _ranker(path: str) -> Ranker:
    return load_ranker(None if path == "none" else path)


def _write_atomically(out: Path, lines: list[str]) -> None:
    folder = out.parent if str(out.parent) else Path()
    if not folder.is_dir():
        raise UsageError(f"{out}: folder {folder} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.writelines(lines)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def predict(args: argparse.Namespace) -> int:
    """Write one line per query: id, TAB, k ids separated by spaces."""
    ranker = _ranker(args.model)
    data = load_dataset(args.dataset)
    queries = read_queries(args.users, data.n)
    arrays = precompute(data)
    empty = np.zeros(0, dtype=np.int64)
    lines = []
    for user in queries.tolist():
        result = suggest(arrays, neighbourhood_of(arrays, user), empty, args.k, ranker, False)
        lines.append(f"{user}\t{' '.join(map(str, result.ids.tolist()))}\n")
    _write_atomically(Path(args.out), lines)
    return 0


def _table(report: dict[str, object]) -> str:
    results: dict[str, dict[str, float]] = report["results"]  # type: ignore[assignment]
    head = f"{report['dataset']}, {report['mode']} ({report['users']} users, seed {report['seed']}"
    head += f", k={report['k']}, {report['ranker']} ranker)"
    rows = [head, "", "| method | " + " | ".join(METRICS) + " |", "|---" * (len(METRICS) + 1) + "|"]
    rows += [
        f"| {name} | " + " | ".join(str(r[m]) for m in METRICS) + " |"
        for name, r in results.items()
    ]
    best = max(
        (n for n in results if n != "engine"), key=lambda n: results[n]["recall"], default=None
    )
    if best is not None:
        ratio = results["engine"]["recall"] / max(results[best]["recall"], 1e-9)
        rows.append(f"\nengine recall@{report['k']} / best baseline ({best}) = {ratio:.2f}x")
    return "\n".join(rows)


def run_evaluate(args: argparse.Namespace) -> int:
    """Print the metrics table (or JSON) of the engine and the baselines."""
    ranker = _ranker(args.model)
    data = load_dataset(args.dataset)
    report = evaluate(
        data, args.users, args.seed, args.k, args.mode == "cold", ranker, not args.engine_only
    )
    print(json.dumps(report) if args.json else _table(report))
    return 0


def run_latency(args: argparse.Namespace) -> int:
    """Print engine latency p50/p99 (ms) next to Adamic-Adar's, measured in the same run."""
    if args.synthetic:
        try:
            users, follows = (int(x) for x in args.synthetic.split(":"))
        except ValueError:
            raise UsageError("--synthetic takes USERS:FOLLOWS, e.g. 100000:5000000") from None
        data = synthetic_network(users, follows, args.seed)
    elif args.dataset:
        data = load_dataset(args.dataset)
    else:
        raise UsageError("give a dataset folder or --synthetic USERS:FOLLOWS")
    report = latency(data, _ranker(args.model), args.queries, args.seed, args.k)
    print(json.dumps(report))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of `staffroom recs`; returns the exit status."""
    args = _parser().parse_args(argv)
    commands = {"predict": predict, "evaluate": run_evaluate, "latency": run_latency}
    try:
        return commands[args.command](args)
    except (DatasetError, UsageError, ValueError, OSError) as exc:
        print(f"staffroom recs: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
