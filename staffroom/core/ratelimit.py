"""Fixed-window rate limits that every web process shares, with or without Redis.

With Redis the counter is an atomic INCR in the cache; without it, one UPSERT statement
(`INSERT ... ON CONFLICT DO UPDATE ... RETURNING`, which SQLite 3.35+ and PostgreSQL both
accept) counts in the `RateLimitCounter` table.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils.translation import gettext as _

from staffroom.core.exceptions import RateLimited
from staffroom.core.models import RateLimitCounter


@dataclass(frozen=True)
class LimitResult:
    allowed: bool
    count: int
    limit: int
    retry_after: int
    reset_at: datetime


def _now() -> float:
    return time.time()


def _hashed(key: str) -> str:
    # Keys carry addresses and e-mail addresses: keep only a digest in storage.
    return hashlib.sha256(key.encode()).hexdigest()[:40]


def _count_in_cache(key: str, window_start: int, window: int) -> int:
    cache_key = f"rl:{key}:{window_start}"
    if cache.add(cache_key, 1, timeout=window + 1):
        return 1
    try:
        return int(cache.incr(cache_key))
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window + 1)
        return 1


def _count_in_database(key: str, window_start: int) -> int:
    quote = connection.ops.quote_name
    table, key_col, window_col, count_col = (
        quote(name) for name in (RateLimitCounter._meta.db_table, "key", "window_start", "count")
    )
    # Identifiers come from the model, values are parameters: nothing user-supplied is spliced.
    sql = (
        f"INSERT INTO {table} ({key_col}, {window_col}, {count_col}) "  # noqa: S608
        f"VALUES (%s, %s, 1) ON CONFLICT ({key_col}, {window_col}) "
        f"DO UPDATE SET {count_col} = {table}.{count_col} + 1 RETURNING {count_col}"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [key, window_start])
        row = cursor.fetchone()
    return int(row[0])


def hit(scope: str, identity: str, *, limit: int, window: int, exact: bool = True) -> LimitResult:
    """Count one request for `identity` in `scope` and say whether it is within the limit.

    `exact` limits (sign-up, sign-in, app registration) are shared by every process: Redis
    when configured, otherwise the database. `exact=False` (the general API limit, counted
    on every request) uses the cache: Redis when configured, otherwise each process's
    memory, so with N processes the embedded profile allows up to N times the limit. That
    keeps a database write off every read request on SQLite.
    """
    now = _now()
    window_start = int(now // window) * window
    key = f"{scope}:{_hashed(identity)}"
    if settings.REDIS_URL or not exact:
        count = _count_in_cache(key, window_start, window)
    else:
        count = _count_in_database(key, window_start)
    retry_after = max(1, int(window_start + window - now))
    return LimitResult(
        allowed=count <= limit,
        count=count,
        limit=limit,
        retry_after=retry_after,
        reset_at=datetime.fromtimestamp(window_start + window, tz=UTC),
    )


def enforce(scope: str, *identities: str) -> None:
    """Count a request against every identity (address, account...) under a named limit.

    Raises `RateLimited` when any identity is over the limit configured in
    `STAFFROOM_RATE_LIMITS[scope]`.
    """
    limit, window = settings.STAFFROOM_RATE_LIMITS[scope]
    worst: LimitResult | None = None
    for identity in identities:
        result = hit(scope, identity, limit=limit, window=window)
        if not result.allowed and (worst is None or result.retry_after > worst.retry_after):
            worst = result
    if worst is not None:
        raise RateLimited(
            _("Too many attempts. Please wait %(minutes)d minutes and try again.")
            % {"minutes": max(1, worst.retry_after // 60)},
            retry_after=worst.retry_after,
        )


def prune_counters(*, older_than_seconds: int = 86400) -> int:
    """Delete windows that ended long ago; returns how many rows went."""
    cutoff = int(_now()) - older_than_seconds
    deleted, _detail = RateLimitCounter.objects.filter(window_start__lt=cutoff).delete()
    return deleted
