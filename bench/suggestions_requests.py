"""The requests of the suggestions benchmark: who asks, through what, and the timing.

Viewers come from four follow-count bands (none, about 10, about 100, 500 or more) plus a
teacher who joined after the snapshot. Each request is `GET /api/v2/suggestions?limit=20`
through Django's test Client in this process (URL routing, middleware, token
authentication, the response schema: all but the socket), or, while that route does not
exist yet, `selectors.suggestions_for` directly. Requests run one at a time, so each
latency is the time one request takes, never a wait behind others.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from bench.load import percentile

ROUTE = "/api/v2/suggestions"
LIMIT = 20
HOST = "bench.staffroom.invalid"
BREAKDOWN_ROUNDS = 3
# (name, lowest, highest) follow counts
BANDS = (("0", 0, 0), ("~10", 8, 12), ("~100", 80, 120), ("500+", 500, 10**9))


@dataclass(frozen=True)
class Viewer:
    user_id: int
    profile_id: int
    following: int
    band: str
    token: str = ""


def pick_viewers(per_band: int, seed: int) -> list[Viewer]:
    """Up to `per_band` teachers of each band, chosen by `seed`, interleaved by band (so any
    prefix of the list covers every band)."""
    from staffroom.profiles.models import ProfileStats

    rows = list(
        ProfileStats.objects.order_by("profile_id").values_list(
            "profile_id", "profile__user_id", "following_count"
        )
    )
    rng = np.random.default_rng(seed)
    picked: list[list[Viewer]] = []
    for name, low, high in BANDS:
        band = [row for row in rows if low <= row[2] <= high]
        chosen = sorted(rng.choice(len(band), size=min(per_band, len(band)), replace=False))
        picked.append([Viewer(band[i][1], band[i][0], band[i][2], name) for i in chosen])
    longest = max((len(band) for band in picked), default=0)
    return [band[i] for i in range(longest) for band in picked if i < len(band)]


def route_kind() -> str:
    """ "http" when the suggestions route exists, "selector" until it does."""
    from django.urls import Resolver404, resolve

    try:
        resolve(ROUTE)
    except Resolver404:
        return "selector"
    return "http"


Call = Callable[[Viewer], list[str]]


def _http_call() -> Call:
    from django.test import Client

    client = Client(HTTP_HOST=HOST)

    def call(viewer: Viewer) -> list[str]:
        response = client.get(ROUTE, {"limit": LIMIT}, HTTP_AUTHORIZATION=f"Bearer {viewer.token}")
        if response.status_code != 200:
            raise RuntimeError(f"{ROUTE} answered {response.status_code}: {response.content!r}")
        return [str(item["account"]["id"]) for item in response.json()]

    return call


def _selector_call() -> Call:
    from staffroom.profiles.models import Profile
    from staffroom.recommendations.selectors import suggestions_for

    def call(viewer: Viewer) -> list[str]:
        profile = Profile.objects.get(pk=viewer.profile_id)
        return [str(s.profile.pk) for s in suggestions_for(profile, limit=LIMIT)]

    return call


def _with_tokens(viewers: list[Viewer]) -> list[Viewer]:
    from staffroom.accounts.models import User
    from staffroom.oauth.services import personal_token_create

    users = User.objects.in_bulk([v.user_id for v in viewers])
    return [
        replace(v, token=personal_token_create(user=users[v.user_id], scopes="read").raw_token)
        for v in viewers
    ]


@dataclass
class Timings:
    wall_ms: list[float]
    cpu_ms: list[float]
    bands: list[str]
    answers: dict[int, list[str]]

    def summary(self) -> dict[str, Any]:
        per_band = {}
        for name in dict.fromkeys(self.bands):
            mine = [ms for ms, band in zip(self.wall_ms, self.bands, strict=True) if band == name]
            per_band[name] = {
                "requests": len(mine),
                "p50_ms": round(percentile(mine, 50), 2),
                "p99_ms": round(percentile(mine, 99), 2),
            }
        return {
            "requests": len(self.wall_ms),
            "p50_ms": round(percentile(self.wall_ms, 50), 2),
            "p99_ms": round(percentile(self.wall_ms, 99), 2),
            "cpu_p50_ms": round(percentile(self.cpu_ms, 50), 2),
            "cpu_p99_ms": round(percentile(self.cpu_ms, 99), 2),
            "bands": per_band,
            "fewest_results": min((len(ids) for ids in self.answers.values()), default=0),
        }


def _timed(call: Call, viewers: list[Viewer], count: int) -> Timings:
    timings = Timings([], [], [], {})
    for i in range(count):
        viewer = viewers[i % len(viewers)]
        cpu, wall = time.thread_time(), time.perf_counter()
        answer = call(viewer)
        timings.wall_ms.append((time.perf_counter() - wall) * 1000)
        timings.cpu_ms.append((time.thread_time() - cpu) * 1000)
        timings.bands.append(viewer.band)
        timings.answers[viewer.profile_id] = answer
    return timings


def measure(
    viewers: list[Viewer], requests: int, baseline_requests: int, log: Callable[[str], None]
) -> dict[str, Any]:
    """The route's and the baseline's latencies on the same viewers, and whether they agree."""
    from bench.suggestions_baseline import recomputing_per_request

    kind = route_kind()
    call = _http_call() if kind == "http" else _selector_call()
    if kind == "http":
        viewers = _with_tokens(viewers)
    started = time.perf_counter()
    call(viewers[0])  # the worker loads the snapshot on its first request
    first_s = time.perf_counter() - started
    _timed(call, viewers, len(viewers))  # one untimed round: connections, caches
    log(f"  route ({kind}): {requests} requests over {len(viewers)} viewers")
    route = _timed(call, viewers, requests)
    log(f"    {route.summary()}")
    parts: dict[str, Any] = {}
    if kind == "http":
        from bench.suggestions_breakdown import breakdown

        parts = breakdown(call, viewers, rounds=BREAKDOWN_ROUNDS)
        log(f"  breakdown: {parts}")
    # The newcomer last: recomputing, it is in the graph, so its answer may differ.
    order = [v for v in viewers if v.band != "new"] + [v for v in viewers if v.band == "new"]
    count = min(baseline_requests, len(order))
    log(f"  baseline: {count} requests, recomputing the graph each time")
    with recomputing_per_request():
        baseline = _timed(call, order, count)
    log(f"    {baseline.summary()}")
    compared = [pk for pk in baseline.answers if pk in route.answers]
    same = [pk for pk in compared if baseline.answers[pk] == route.answers[pk]]
    return {
        "viewers": [
            {"profile_id": v.profile_id, "following": v.following, "band": v.band} for v in viewers
        ],
        "first_request_s": round(first_s, 2),
        "route": route.summary(),
        "baseline": baseline.summary(),
        "ratio_p50": round(
            statistics.median(baseline.wall_ms) / statistics.median(route.wall_ms), 1
        ),
        "ratio_p99": round(percentile(baseline.wall_ms, 99) / percentile(route.wall_ms, 99), 1),
        "agreement": {"compared": len(compared), "identical": len(same)},
        "breakdown": parts,
    }
