"""`python -m bench streaming`: many followers on the `user` stream while the teacher they
all follow posts; the time from `POST /api/v1/statuses` returning to each follower's event,
the web workers' memory per connection, and the home feed's throughput with the connections
open against without.

One process orchestrates: the data is the feeds benchmark's network at `--followers + 1`
teachers (cached the same way, `databases.feeds_spec`: teacher t0 is followed by everyone,
every home feed is stored), on a fresh SQLite copy; each follower gets a token; then
`staffroom serve --workers 2` on a free 127.0.0.1 port, in this order:

1. the home feed under load (`load.py`, as `bench feeds` runs it) with no stream open;
2. the connections, held by a process of their own (`streaming_clients.py`), half over
   WebSocket, half over server-sent events, each a different follower; probe posts (one
   every few seconds) until every connection has shown one prove them subscribed;
3. the web workers' RSS (from /proc) before 2 and now, over the number of connections;
4. `--posts` timed posts by t0, `--interval` seconds apart, each event's arrival against the
   moment its POST returned, and against the moment its fan-out had filled every follower's
   stored feed (`streaming_fanout.py`), to show where the time goes;
5. the home feed under the same load again, the connections still open; and once more
   after they closed (the reference is the mean of the passes before and after).

Everything runs on 127.0.0.1 and stops by itself (the server's whole process tree and the
client process, also on failure). `--write` replaces the "## Streaming" section of
BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.databases import ROOT, SqliteDatabase, feeds_spec
from bench.feeds import default_dir
from bench.feeds_run import DOMAIN, PAGE_SIZE, WARMUP_SECONDS, post_status, server_env
from bench.load import Request, run_load, summarize
from bench.network import NetworkParams
from bench.report import write_section
from bench.server import running_server
from bench.streaming_breakdown import FanoutWatch, render_ms, server_streaming_numbers
from bench.streaming_clients import StreamingClients
from bench.streaming_report import SECTION_TITLE, latencies, section, tables

PROBE_TIMEOUT_SECONDS = 60.0
PROBE_EVERY_SECONDS = 3.0
ARRIVAL_TIMEOUT_SECONDS = 30.0
CLIENT_SECONDS_BEYOND_POSTS = 600.0  # the client process's own deadline, past the timed part


def _log(message: str) -> None:
    print(message, flush=True)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--followers", type=int, default=1000, help="connections, one each")
    parser.add_argument("--posts", type=int, default=20, help="timed posts")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between posts")
    parser.add_argument("--history", type=int, default=20_000, help="posts already there")
    parser.add_argument("--duration", type=float, default=15.0, help="home load, seconds")
    parser.add_argument("--connections", type=int, default=8, help="home load connections")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--dir", default=str(default_dir()), help="cache and run folder")
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md")


def _setup(args: argparse.Namespace) -> SqliteDatabase:
    params = NetworkParams(users=args.followers + 1, posts=args.history, seed=args.seed)
    db = SqliteDatabase(Path(args.dir), feeds_spec(params))
    os.environ.pop("DATABASE_URL", None)  # SQLite, whatever the shell says
    os.environ.update(server_env(db))
    import django

    django.setup()
    if not db.is_cached():
        _log("building the data (once per size and schema)")
        db.build(DOMAIN, _log)
    db.prepare_run(_log)
    return db


@dataclass(frozen=True)
class Cast:
    follower_profiles: list[int]
    follower_tokens: list[str]  # read
    author_token: str  # read write; the author is t0, whom every other teacher follows
    author_profile: int


def _cast(db: SqliteDatabase) -> Cast:
    """A read token for every follower of t0, and a write token for t0."""
    from django.db import connections, transaction

    from staffroom.accounts.models import User
    from staffroom.oauth.services import personal_token_create

    query = db.connect_sql()
    star_profile, star_user = query(
        "SELECT id, user_id FROM profiles_profile WHERE handle = %s", ["t0"]
    )[0]
    rows = query(
        "SELECT p.user_id, p.id FROM graph_follow f JOIN profiles_profile p"
        " ON p.id = f.follower_id WHERE f.followee_id = %s ORDER BY p.user_id",
        [star_profile],
    )
    users = User.objects.in_bulk([user_id for (user_id, _p) in rows] + [star_user])
    with transaction.atomic():
        tokens = [
            personal_token_create(user=users[user_id], scopes="read").raw_token
            for (user_id, _p) in rows
        ]
        star = personal_token_create(user=users[star_user], scopes="read write").raw_token
    connections.close_all()
    return Cast(
        follower_profiles=[profile for (_u, profile) in rows],
        follower_tokens=tokens,
        author_token=star,
        author_profile=star_profile,
    )


def web_workers_rss_kib(port: int) -> int:
    """The resident memory of the server's web workers (`staffroom.core.uvicorn_main` on
    `port`), summed, from /proc."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            if b"staffroom.core.uvicorn_main" not in argv or str(port).encode() not in argv:
                continue
            status = (entry / "status").read_text()
        except OSError:
            continue
        line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
        total += int(line.split()[1])
    return total


def home_load(port: int, tokens: list[str], args: argparse.Namespace) -> dict[str, Any]:
    requests = [Request(f"/api/v1/timelines/home?limit={PAGE_SIZE}", token) for token in tokens]
    load_before = os.getloadavg()[0]
    result = run_load(
        port, requests, connections=args.connections, duration=args.duration, warmup=WARMUP_SECONDS
    )
    summary = summarize(result)
    return {"rps": summary.rps, "p50_ms": summary.p50_ms, "p99_ms": summary.p99_ms,
            "errors": summary.errors,
            "loadavg": [round(load_before, 1), round(os.getloadavg()[0], 1)]}  # fmt: skip


def _wait_until_everyone_has(clients: StreamingClients, status_id: str, want: int) -> int:
    deadline = time.monotonic() + ARRIVAL_TIMEOUT_SECONDS
    seen = clients.count([status_id])
    while seen < want and time.monotonic() < deadline:
        time.sleep(0.1)
        seen = clients.count([status_id])
    return seen


def _until_live(port: int, token: str, clients: StreamingClients, want: int) -> list[int]:
    """Probe posts, one every PROBE_EVERY_SECONDS, until every open connection has shown
    one of them (a connection is open before the server has necessarily subscribed it).
    Returns how many connections had shown a probe after each one."""
    deadline = time.monotonic() + PROBE_TIMEOUT_SECONDS
    probes: list[str] = []
    seen_after: list[int] = []
    while time.monotonic() < deadline:
        text = f"Streaming benchmark probe {len(probes)}"
        _status, probe_id, _ms = post_status(port, token, text)
        probes.append(str(probe_id))
        wait_until = min(deadline, time.monotonic() + PROBE_EVERY_SECONDS)
        seen = clients.count(probes)
        while seen < want and time.monotonic() < wait_until:
            time.sleep(0.1)
            seen = clients.count(probes)
        seen_after.append(seen)
        if seen >= want:
            break
    return seen_after


def _timed_posts(
    port: int, token: str, args: argparse.Namespace, watch: FanoutWatch
) -> dict[str, float]:
    """status id -> the monotonic time its POST returned."""
    returned = {}
    for number in range(args.posts):
        started = time.monotonic()
        status, status_id, _ms = post_status(port, token, f"Streaming benchmark post {number}")
        if status_id is None:
            raise RuntimeError(f"POST /api/v1/statuses answered {status}")
        returned[str(status_id)] = time.monotonic()
        watch.watch(str(status_id))
        time.sleep(max(0.0, args.interval - (time.monotonic() - started)))
    return returned


def measure(port: int, db: SqliteDatabase, cast: Cast, args: argparse.Namespace) -> dict[str, Any]:
    report: dict[str, Any] = {}
    tokens, star = cast.follower_tokens, cast.author_token
    _log("  home feed, no stream open")
    report["home_without"] = home_load(port, tokens, args)
    rss_before = web_workers_rss_kib(port)
    seconds = args.posts * args.interval + CLIENT_SECONDS_BEYOND_POSTS + 2 * args.duration
    watch = FanoutWatch(db.connect_sql, author_profile=cast.author_profile, followers=len(tokens))
    with StreamingClients(port, tokens, seconds=seconds) as clients, watch:
        opened, errors = clients.status()
        report.update(opened=opened, open_s=clients.open_seconds, open_errors=errors)
        _log(f"  {opened} of {len(tokens)} connections open in {clients.open_seconds:.1f}s")
        for error in errors:
            _log(f"    refused: {error}")
        report["probes_seen"] = _until_live(port, star, clients, opened)
        report["rss_kib"] = [rss_before, web_workers_rss_kib(port)]
        _log(f"  connections that showed a probe, after each: {report['probes_seen']}")
        load_before = os.getloadavg()[0]
        returned = _timed_posts(port, star, args, watch)
        last = list(returned)[-1]
        _wait_until_everyone_has(clients, last, opened)
        time.sleep(min(ARRIVAL_TIMEOUT_SECONDS, 2 * args.interval))  # stragglers of earlier posts
        report["server_streaming"] = server_streaming_numbers(port)
        report["posts_loadavg"] = [round(load_before, 1), round(os.getloadavg()[0], 1)]
        # One web worker's share of the viewers (the kernel spreads connections over two).
        share = cast.follower_profiles[: (len(cast.follower_profiles) + 1) // 2]
        report["render"] = {"viewers": len(share), "ms": render_ms(last, share)}
        _log("  home feed, connections open")
        report["home_with"] = home_load(port, tokens, args)
        still_open, _errors = clients.status()
        report["still_open"] = still_open
        held = clients.stop()
    # Again with the connections closed: the reference is the mean of the passes around
    # the open one, so a drift of the machine over the run is not taken for their cost.
    _log("  home feed, connections closed again")
    report["home_after"] = home_load(port, tokens, args)
    report.update(latencies(held, returned, fanned_out=watch.done_at))
    return report


def main(args: argparse.Namespace) -> int:
    db = _setup(args)
    report: dict[str, Any] = {"followers": args.followers, "posts": args.posts,
                              "interval_s": args.interval, "history": args.history,
                              "home_load": [args.connections, args.duration]}  # fmt: skip
    try:
        cast = _cast(db)
        log_path = Path(args.dir) / "server-streaming.log"
        with running_server(server_env(db), workers=2, log_path=log_path) as port:
            report.update(measure(port, db, cast, args))
    finally:
        db.drop_run()
    saved = Path(args.dir) / "streaming-last.json"
    saved.write_text(json.dumps({"argv": sys.argv[1:], "report": report}, indent=2))
    print(tables(report))
    if args.write:
        command = "python -m bench streaming " + " ".join(
            shlex.quote(part) for part in sys.argv[2:] if part != "--write"
        )
        write_section(ROOT / "BENCHMARKS.md", section(report, command.strip()), SECTION_TITLE)
        print("BENCHMARKS.md updated")
    return 0
