"""One network size's part of the suggestions benchmark, in its own process (Django set up
on that size's database): cached data, a fresh copy, a snapshot, the route, the baseline.
Writes its figures as JSON."""

from __future__ import annotations

import os
import statistics
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.databases import PostgresDatabase, SqliteDatabase
from bench.suggestions_data import suggestions_spec
from bench.suggestions_network import SuggestionParams
from bench.suggestions_requests import Viewer, measure, pick_viewers, route_kind

DOMAIN = "bench.staffroom.invalid"
NEWCOMER_FOLLOWS = 10


def _log(message: str) -> None:
    print(message, flush=True)


def _env(db: SqliteDatabase | PostgresDatabase) -> dict[str, str]:
    return {
        **db.env(),
        "STAFFROOM_DOMAIN": DOMAIN,
        "STAFFROOM_API_RATE_LIMIT": "1000000000",
    }


def _posts_to_now() -> None:
    """Move the cached posts so the newest is an hour old: the snapshot counts only recent
    posts, and the cache may have been built weeks ago."""
    from django.db.models import F, Max
    from django.utils import timezone

    from staffroom.posts.models import Status

    newest = Status.objects.aggregate(newest=Max("created_at"))["newest"]
    if newest is not None:
        shift = timezone.now() - timedelta(hours=1) - newest
        Status.objects.update(created_at=F("created_at") + shift)


def _settle_postgres() -> None:
    """VACUUM ANALYZE the posts just moved in time: otherwise autovacuum starts on them in
    the middle of the measured requests (a server in use is vacuumed as it goes)."""
    from django.db import connection

    from staffroom.posts.models import Status

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'VACUUM ANALYZE "{Status._meta.db_table}"')


def _newcomer() -> Viewer:
    """A teacher who joined after the snapshot: math in grade 7, following ten teachers."""
    from staffroom.accounts.services import account_create
    from staffroom.graph.services.follow import follow_create
    from staffroom.profiles.models import Profile
    from staffroom.profiles.professional import ProfessionalChanges, professional_update

    user = account_create(
        email="newcomer@bench.invalid", handle="newcomer", password=None, verified=True
    )
    profile = Profile.objects.get(user=user)
    professional_update(
        profile=profile, changes=ProfessionalChanges(subjects=["math"], grades=["g7"])
    )
    for target in Profile.objects.exclude(pk=profile.pk).order_by("pk")[:NEWCOMER_FOLLOWS]:
        follow_create(actor=profile, target=target)
    return Viewer(user_id=user.pk, profile_id=profile.pk, following=NEWCOMER_FOLLOWS, band="new")


def _snapshot_times(loads: int) -> dict[str, Any]:
    """Build one snapshot (the periodic job), then decode it `loads` times (a worker's load)."""
    from staffroom.recommendations.models import FeatureSnapshot
    from staffroom.recommendations.snapshot import snapshot_build, snapshot_decode

    started = time.perf_counter()
    row = snapshot_build()
    build_s = time.perf_counter() - started
    stored = FeatureSnapshot.objects.get(pk=row.pk)
    load_s = []
    for _ in range(loads):
        started = time.perf_counter()
        snapshot_decode(stored.pk, stored.created_at, stored.data)
        load_s.append(time.perf_counter() - started)
    return {
        "accounts": row.accounts,
        "follows": row.follows,
        "snapshot_mb": round(len(stored.data) / 2**20, 1),
        "build_s": round(build_s, 2),
        "load_s": [round(s, 2) for s in load_s],
        "load_s_median": round(statistics.median(load_s), 2),
    }


def run_one(args: Any) -> dict[str, Any]:
    params = SuggestionParams(teachers=args.size, seed=args.seed)
    spec = suggestions_spec(params)
    db: SqliteDatabase | PostgresDatabase
    if args.db == "sqlite":
        db = SqliteDatabase(Path(args.dir), spec)
    else:
        db = PostgresDatabase(args.pg_url, spec, Path(args.dir))
    os.environ.update(_env(db))  # Django, set up below, uses the run copy
    import django

    django.setup()
    report: dict[str, Any] = {"db": db.kind, "teachers": args.size, "seed": args.seed}
    started = time.monotonic()
    where = f"{args.size:,} teachers on {db.kind}"
    if db.is_cached():
        _log(f"{where}: cached data found")
    else:
        _log(f"{where}: building the data (once per network and schema)")
        db.build(DOMAIN, _log)
        report["data_build_s"] = round(time.monotonic() - started, 1)
    if args.build_only:
        return report
    db.prepare_run(_log)
    try:
        _posts_to_now()
        _settle_postgres()
        viewers = pick_viewers(args.viewers_per_band, args.seed)
        report["snapshot"] = _snapshot_times(args.loads)
        _log(f"  snapshot: {report['snapshot']}")
        viewers.append(_newcomer())
        from staffroom.config.warmup import warm_up

        warm_up()  # as a web worker does when it starts (URL tables, text, gc.freeze)
        report["route_kind"] = route_kind()
        report.update(measure(viewers, args.requests, args.baseline_requests, _log))
    finally:
        from django.db import connections

        connections.close_all()
        db.drop_run()
    return report
