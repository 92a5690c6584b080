"""One database's part of `python -m bench search`, in its own process (Django set up once,
on a fresh copy of the cached data): the index rebuilt and timed, searches timed beside
`LIKE '%word%'` with the same visibility rule, and posting with and without index upkeep."""

from __future__ import annotations

import contextlib
import os
import random
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.databases import PostgresDatabase, SqliteDatabase
from bench.load import percentile
from bench.search_data import COMMON, PHRASE, RARE, TAG, SearchParams, search_spec

DOMAIN = "bench.staffroom.invalid"
RUN_DB = "staffroom_bench_run_search"
QUERIES = {
    "common word": (COMMON, COMMON),
    "rare word": (RARE, RARE),
    "phrase": (f'"{PHRASE}"', PHRASE),
    "#tag": (f"#{TAG}", f"#{TAG}"),
}


def _log(message: str) -> None:
    print(message, flush=True)


def _timed(action: Callable[[], object], times: int) -> list[float]:
    """Milliseconds of each of `times` calls (after one untimed warm-up call)."""
    action()
    found: list[float] = []
    for _ in range(times):
        started = time.perf_counter()
        action()
        found.append((time.perf_counter() - started) * 1000)
    return found


def _summary(times: list[float]) -> dict[str, float]:
    return {
        "n": len(times),
        "p50_ms": round(percentile(times, 50), 2),
        "p99_ms": round(percentile(times, 99), 2),
    }


def _viewers(count: int, seed: int) -> list[Any]:
    from staffroom.profiles.models import Profile

    ids = list(Profile.objects.order_by("pk").values_list("pk", flat=True))
    chosen = random.Random(seed).sample(ids, min(count, len(ids)))  # noqa: S311 - sampling
    return list(Profile.objects.select_related("user").filter(pk__in=chosen))


def measure_searches(viewers: list[Any], reps: int, baseline_reps: int) -> dict[str, Any]:
    """p50/p99 of `search()` (statuses) and of the LIKE baseline per query; viewers taken
    in turn. The baseline asks the same findable posts (`findable_statuses`) for
    `content LIKE '%word%'`, newest first, 20 of them."""
    from staffroom.search.kinds.statuses import findable_statuses
    from staffroom.search.selectors import search

    results: dict[str, Any] = {}
    for name, (typed, needle) in QUERIES.items():
        turn = iter(range(10**9))

        def engine(typed: str = typed, turn: Iterator[int] = turn) -> list[Any]:
            viewer = viewers[next(turn) % len(viewers)]
            return search(viewer, typed, kinds=["statuses"]).statuses

        def like(needle: str = needle, turn: Iterator[int] = turn) -> list[Any]:
            viewer = viewers[next(turn) % len(viewers)]
            found = findable_statuses(viewer).filter(content__icontains=needle)
            return list(found.order_by("-pk")[:20])

        found = len(engine())
        engine_ms = _timed(engine, reps)
        like_ms = _timed(like, baseline_reps)
        results[name] = {
            "query": typed,
            "results": found,
            "engine": _summary(engine_ms),
            "like": _summary(like_ms),
            "speedup_p50": round(statistics.median(like_ms) / statistics.median(engine_ms), 1),
        }
        _log(f"  {name}: {results[name]}")
    return results


@contextlib.contextmanager
def _without_index_upkeep() -> Iterator[None]:
    """Posting as it would be without the search subscribers (benchmark only)."""
    from staffroom.core import events

    saved = {kind: list(entries) for kind, entries in events._subscriptions.items()}
    for kind, entries in events._subscriptions.items():
        events._subscriptions[kind] = [
            entry for entry in entries if not entry.name.startswith("staffroom.search.")
        ]
    try:
        yield
    finally:
        events._subscriptions.update(saved)


def measure_posting(viewers: list[Any], count: int) -> dict[str, Any]:
    """Median and p99 of `status_create` with and without the search subscribers,
    alternating so both see the same database, and of the index write alone."""
    from staffroom.posts.services import PostText, status_create
    from staffroom.search.services import index_refresh

    with_index: list[float] = []
    without: list[float] = []
    upkeep: list[float] = []
    for number in range(count):
        author = viewers[number % len(viewers)]
        text = f"Posting benchmark {number}: students shared {RARE} ratios and inquiry notes"
        for bucket, context in (
            (with_index, contextlib.nullcontext()),
            (without, _without_index_upkeep()),
        ):
            with context:
                started = time.perf_counter()
                status = status_create(author=author, draft=PostText(text=text))
                bucket.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        index_refresh("statuses", [status.pk])
        upkeep.append((time.perf_counter() - started) * 1000)
    return {
        "with_index": _summary(with_index),
        "without_index": _summary(without),
        "index_write": _summary(upkeep),
        "added_p50_ms": round(statistics.median(with_index) - statistics.median(without), 2),
    }


def measure_merge() -> dict[str, Any]:
    """The merge job after the posting runs (SQLite; nothing to merge on PostgreSQL): its
    steps as `index_merge` takes them, each in its own transaction, timed one by one."""
    from django.db import transaction

    from staffroom.search import engine
    from staffroom.search.services import MERGE_PAGES

    steps: list[float] = []
    while True:
        started = time.perf_counter()
        with transaction.atomic():
            merged = engine.merge_step("statuses", MERGE_PAGES)
        steps.append((time.perf_counter() - started) * 1000)
        if not merged:
            break
    return {"steps": len(steps) - 1, "max_step_ms": round(max(steps), 2)}


def _rebuild() -> dict[str, float]:
    from django.db import connection

    from staffroom.search.services import index_rebuild

    times: dict[str, float] = {}
    for kind in ("statuses", "accounts"):
        started = time.monotonic()
        count = index_rebuild(kind)
        times[f"{kind}_s"] = round(time.monotonic() - started, 1)
        times[f"{kind}_documents"] = count
        _log(f"  rebuilt {kind}: {count} documents in {times[f'{kind}_s']} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return times


def run_one(args: Any) -> dict[str, Any]:
    params = SearchParams(teachers=args.teachers, posts=args.posts, seed=args.seed)
    spec = search_spec(params)
    db: SqliteDatabase | PostgresDatabase
    if args.db == "sqlite":
        db = SqliteDatabase(Path(args.dir), spec)
    else:
        db = PostgresDatabase(args.pg_url, spec, Path(args.dir), run_db=RUN_DB)
    os.environ.update({**db.env(), "STAFFROOM_DOMAIN": DOMAIN})
    import django

    django.setup()
    report: dict[str, Any] = {"db": db.kind, "teachers": args.teachers, "posts": args.posts}
    if not db.is_cached():
        _log(f"{spec.name} on {db.kind}: building the data (once per size and schema)")
        started = time.monotonic()
        db.build(DOMAIN, _log)
        report["data_build_s"] = round(time.monotonic() - started, 1)
    if args.build_only:
        return report
    db.prepare_run(_log)
    try:
        report["rebuild"] = _rebuild()
        viewers = _viewers(50, args.seed)
        report["searches"] = measure_searches(viewers, args.reps, args.baseline_reps)
        report["posting"] = measure_posting(viewers, args.post_reps)
        _log(f"  posting: {report['posting']}")
        report["merge"] = measure_merge()
        _log(f"  merge job: {report['merge']}")
    finally:
        from django.db import connections

        connections.close_all()
        db.drop_run()
    return report
