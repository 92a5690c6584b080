"""One database's part of the feeds benchmark, in its own process (Django is set up for
that database): cached data, a fresh copy, tokens, the server, the three read scenarios,
posting and fan-out. Writes its figures as JSON."""

from __future__ import annotations

import http.client
import json
import os
import statistics
import time
import urllib.parse
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from bench.databases import PostgresDatabase, SqliteDatabase, feeds_spec
from bench.load import Request, run_load, summarize
from bench.network import HEAVY_FOLLOWING, NetworkParams
from bench.server import HOST, running_server

DOMAIN = "bench.staffroom.invalid"
WARMUP_SECONDS = 3.0
POSTS_TIMED = 3
FANOUT_TIMEOUT_SECONDS = 60.0
SCENARIOS = ("home", "list", "naive")
PAGE_SIZE = 20


@dataclass(frozen=True)
class Viewer:
    user_id: int
    profile_id: int
    list_id: int
    following: int
    token: str = ""


def _log(message: str) -> None:
    print(message, flush=True)


def server_env(db: SqliteDatabase | PostgresDatabase) -> dict[str, str]:
    return {
        **db.env(),
        "STAFFROOM_DOMAIN": DOMAIN,
        "STAFFROOM_API_RATE_LIMIT": "1000000000",
        "STAFFROOM_POST_LIMIT": "1000000",
    }


def _viewers(query: Any) -> tuple[list[Viewer], tuple[int, int, int]]:
    rows = query(
        "SELECT l.id, l.owner_id, p.user_id,"
        " (SELECT COUNT(*) FROM graph_follow f WHERE f.follower_id = l.owner_id)"
        " FROM graph_purposelist l JOIN profiles_profile p ON p.id = l.owner_id"
        " WHERE l.title LIKE %s ORDER BY l.id",
        ["Bench list %"],
    )
    viewers = [Viewer(user_id=r[2], profile_id=r[1], list_id=r[0], following=r[3]) for r in rows]
    star = query("SELECT id, user_id FROM profiles_profile WHERE handle = %s", ["t0"])[0]
    followers = query("SELECT COUNT(*) FROM graph_follow WHERE followee_id = %s", [star[0]])[0][0]
    return viewers, (star[0], star[1], followers)


def _tokens(viewers: list[Viewer], star_user: int) -> tuple[list[Viewer], str]:
    from django.db import connections

    from staffroom.accounts.models import User
    from staffroom.oauth.services import personal_token_create

    users = User.objects.in_bulk([v.user_id for v in viewers] + [star_user])
    with_tokens = [
        replace(v, token=personal_token_create(user=users[v.user_id], scopes="read").raw_token)
        for v in viewers
    ]
    star = personal_token_create(user=users[star_user], scopes="read write").raw_token
    connections.close_all()
    return with_tokens, star


def _get(port: int, path: str, token: str) -> tuple[int, Any]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        conn.close()


def _paths(viewer: Viewer) -> dict[str, str]:
    return {
        "home": f"/api/v1/timelines/home?limit={PAGE_SIZE}",
        "list": f"/api/v1/timelines/list/{viewer.list_id}?limit={PAGE_SIZE}",
        "naive": f"/api/bench/naive-home?limit={PAGE_SIZE}",
    }


def check_pages(port: int, viewers: list[Viewer]) -> dict[str, Any]:
    """One page per scenario for a few viewers: all 200 with 20 posts, and the stored home
    page equal to the naive one (the stored rows are right)."""
    checked = sorted(viewers, key=lambda v: v.following)[:: max(1, len(viewers) // 5)]
    agree, problems = 0, []
    for viewer in checked:
        pages = {}
        for name, path in _paths(viewer).items():
            status, body = _get(port, path, viewer.token)
            if status != 200 or not isinstance(body, list):
                problems.append(f"{name} for {viewer.profile_id}: HTTP {status} {str(body)[:200]}")
                continue
            pages[name] = [item["id"] for item in body]
            if len(body) != PAGE_SIZE:
                problems.append(f"{name} for {viewer.profile_id}: {len(body)} posts")
        if pages.get("home") and pages.get("home") == pages.get("naive"):
            agree += 1
        elif "home" in pages and "naive" in pages:
            problems.append(f"home and naive pages differ for {viewer.profile_id}")
    return {"checked": len(checked), "home_equals_naive": agree, "problems": problems}


def _passes(args: Any) -> list[tuple[str, str, int, float]]:
    """(key, scenario, connections, seconds): the loaded pass of every scenario, then the
    one-connection pass (`<scenario>@1`), whose latencies are the server's own time per
    page, with no queueing behind other requests."""
    passes = [(name, name, args.connections, args.duration) for name in SCENARIOS]
    if args.serial_duration > 0:
        passes += [(f"{name}@1", name, 1, args.serial_duration) for name in SCENARIOS]
    return passes


def read_scenarios(port: int, viewers: list[Viewer], args: Any) -> dict[str, Any]:
    results = {}
    for key, name, connections, seconds in _passes(args):
        requests = [
            Request(_paths(v)[name], v.token, heavy=v.following >= HEAVY_FOLLOWING) for v in viewers
        ]
        _log(f"  load: {name}, {connections} connections, {seconds:g}s")
        load_before = os.getloadavg()[0]
        result = run_load(
            port, requests, connections=connections, duration=seconds, warmup=WARMUP_SECONDS
        )
        summary = summarize(result)
        results[key] = {
            **asdict(summary),
            "statuses": dict(result.statuses),
            "loadavg": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        }
        _log(f"    {summary}")
    return results


def post_status(port: int, token: str, text: str) -> tuple[int, int | None, float]:
    body = urllib.parse.urlencode({"status": text})
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        started = time.perf_counter()
        conn.request("POST", "/api/v1/statuses", body=body, headers=headers)
        response = conn.getresponse()
        payload = json.loads(response.read() or b"null")
        elapsed = (time.perf_counter() - started) * 1000
    finally:
        conn.close()
    status_id = int(payload["id"]) if response.status == 200 else None
    return response.status, status_id, elapsed


def posting(port: int, db: Any, star: tuple[int, int, int], token: str) -> dict[str, Any]:
    """Posts by the teacher everyone follows: the time for the POST to return, and until
    the post is in every follower's stored home feed (counted by SQL from here)."""
    query = db.connect_sql()
    star_profile, _user, followers = star
    post_ms, reach_s, reached = [], [], []
    for attempt in range(POSTS_TIMED):
        started = time.perf_counter()
        status, status_id, elapsed = post_status(port, token, f"Benchmark post {attempt} #edchat")
        if status_id is None:
            return {"error": f"POST answered {status}"}
        post_ms.append(elapsed)
        count, deadline = 0, started + FANOUT_TIMEOUT_SECONDS
        while time.perf_counter() < deadline:
            count = query(
                "SELECT COUNT(*) FROM timelines_feedentry WHERE status_id = %s"
                " AND list_id IS NULL AND owner_id <> %s",
                [status_id, star_profile],
            )[0][0]
            if count >= followers:
                break
            time.sleep(0.05)
        reached.append(count)
        reach_s.append(time.perf_counter() - started if count >= followers else float("nan"))
        time.sleep(1.0)
    return {
        "followers": followers,
        "post_ms": post_ms,
        "post_ms_median": statistics.median(post_ms),
        "reach_s": reach_s,
        "reach_s_max": max(reach_s),
        "reached": reached,
    }


def run_one(args: Any) -> dict[str, Any]:
    params = NetworkParams(users=args.users, posts=args.posts, seed=args.seed)
    bench_dir = Path(args.dir)
    db: SqliteDatabase | PostgresDatabase
    if args.db == "sqlite":
        db = SqliteDatabase(bench_dir, feeds_spec(params))
    else:
        db = PostgresDatabase(args.pg_url, feeds_spec(params), bench_dir)
    for key, value in server_env(db).items():  # Django, when set up here, uses the run copy
        os.environ[key] = value
    import django

    django.setup()
    report: dict[str, Any] = {"db": db.kind, "users": args.users, "posts": args.posts}
    started = time.monotonic()
    if db.is_cached():
        _log(f"{db.kind}: cached data found")
    else:
        _log(f"{db.kind}: building the data (once per network and schema)")
        db.build(DOMAIN, _log)
        report["build_s"] = round(time.monotonic() - started, 1)
    if args.build_only:
        return report
    db.prepare_run(_log)
    viewers, star = _viewers(db.connect_sql())
    viewers, star_token = _tokens(viewers, star[1])
    report["ready_s"] = round(time.monotonic() - started, 1)
    report["viewers"] = len(viewers)
    report["heavy_viewers"] = sum(v.following >= HEAVY_FOLLOWING for v in viewers)
    log_path = bench_dir / f"server-{db.kind}.log"
    try:
        with running_server(server_env(db), workers=2, log_path=log_path) as port:
            report["check"] = check_pages(port, viewers)
            _log(f"  page check: {report['check']}")
            report["scenarios"] = read_scenarios(port, viewers, args)
            report["posting"] = posting(port, db, star, star_token)
            _log(f"  posting: {report['posting']}")
    finally:
        db.drop_run()
    return report
