"""A closed-loop HTTP load client: C keep-alive connections (one thread each) in a separate
process, each sending its next request as soon as the previous answer is read, for a fixed
time after a warm-up. Every request's latency is recorded (send to last byte read)."""

from __future__ import annotations

import http.client
import math
import multiprocessing
import threading
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

HOST = "127.0.0.1"
REQUEST_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class Request:
    path: str
    token: str
    heavy: bool = False  # the viewer follows 500 or more teachers


@dataclass
class LoadResult:
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    heavy: list[bool] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: int = 0

    @property
    def ok(self) -> int:
        return self.statuses.get(200, 0)


@dataclass(frozen=True)
class Summary:
    requests: int
    errors: int
    rps: float
    p50_ms: float
    p99_ms: float
    heavy_requests: int
    heavy_p99_ms: float


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def summarize(result: LoadResult) -> Summary:
    heavy = [ms for ms, is_heavy in zip(result.latencies_ms, result.heavy, strict=True) if is_heavy]
    total = len(result.latencies_ms)
    return Summary(
        requests=total,
        errors=total - result.ok + result.failures,
        rps=result.ok / result.seconds if result.seconds else 0.0,
        p50_ms=percentile(result.latencies_ms, 50),
        p99_ms=percentile(result.latencies_ms, 99),
        heavy_requests=len(heavy),
        heavy_p99_ms=percentile(heavy, 99),
    )


class _Worker(threading.Thread):
    def __init__(
        self,
        port: int,
        requests: Sequence[Request],
        start: int,
        step: int,
        window: tuple[float, float],
    ) -> None:
        super().__init__(daemon=True)
        self.port, self.requests, self.index, self.step = port, requests, start, step
        self.record_from, self.stop_at = window
        self.result = LoadResult(seconds=0.0)

    def run(self) -> None:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT_SECONDS)
        while True:
            started = time.perf_counter()
            if started >= self.stop_at:
                break
            request = self.requests[self.index % len(self.requests)]
            self.index += self.step
            try:
                conn.request(
                    "GET", request.path, headers={"Authorization": f"Bearer {request.token}"}
                )
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT_SECONDS)
                self.result.failures += 1
                continue
            if started >= self.record_from:
                self.result.latencies_ms.append((time.perf_counter() - started) * 1000)
                self.result.heavy.append(request.heavy)
                self.result.statuses[status] += 1
        conn.close()


def run_load_here(
    port: int, requests: Sequence[Request], *, connections: int, duration: float, warmup: float
) -> LoadResult:
    """The load, in this process."""
    now = time.perf_counter()
    window = (now + warmup, now + warmup + duration)
    workers = [
        _Worker(port, requests, start=i, step=connections, window=window)
        for i in range(connections)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=warmup + duration + REQUEST_TIMEOUT_SECONDS + 5)
    total = LoadResult(seconds=duration)
    for worker in workers:
        total.latencies_ms += worker.result.latencies_ms
        total.heavy += worker.result.heavy
        total.statuses.update(worker.result.statuses)
        total.failures += worker.result.failures
    return total


def run_load(
    port: int, requests: Sequence[Request], *, connections: int, duration: float, warmup: float
) -> LoadResult:
    """The load, in a separate process (so the client never shares a GIL with the caller)."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        future = pool.submit(
            run_load_here,
            port,
            list(requests),
            connections=connections,
            duration=duration,
            warmup=warmup,
        )
        return future.result(timeout=warmup + duration + REQUEST_TIMEOUT_SECONDS + 60)
