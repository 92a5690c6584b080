"""Time-sortable 64-bit ids (snowflake style), as Mastodon uses for accounts and statuses.

An id is the milliseconds since the Unix epoch shifted left 16 bits, plus a 16-bit sequence.
Sorting ids sorts by creation time, so `max_id`/`since_id`/`min_id` pagination works, and
`snowflake_for(when)` gives ids for rows backfilled later (federation imports) that still
sort by their original time. Ids leave the server as strings, as Mastodon's do.
"""

from __future__ import annotations

import os
import secrets
import threading
from datetime import UTC, datetime

from django.utils import timezone

from staffroom.core.exceptions import NOT_FOUND, NotFound

SEQUENCE_BITS = 16
SEQUENCE_MASK = (1 << SEQUENCE_BITS) - 1
MAX_ID = (1 << 63) - 1


class _SnowflakeGenerator:
    """Hands out ids that increase strictly within one process.

    Each process starts its sequence at a random point, so two processes writing in the same
    millisecond are unlikely to collide; the primary key's uniqueness is the final guard.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = 0
        self._pid = os.getpid()

    def next_id(self, now_ms: int) -> int:
        with self._lock:
            if os.getpid() != self._pid:  # forked: do not repeat the parent's sequence
                self._pid = os.getpid()
                self._last = 0
            candidate = (now_ms << SEQUENCE_BITS) | secrets.randbelow(SEQUENCE_MASK // 2)
            # Never go backwards, even if the clock does, and never repeat within a process.
            value = max(candidate, self._last + 1)
            self._last = value
            return value


_generator = _SnowflakeGenerator()


def _millis(when: datetime) -> int:
    if timezone.is_naive(when):
        raise ValueError("snowflake ids need an aware datetime")
    return int(when.timestamp() * 1000)


def new_snowflake() -> int:
    """A fresh id for a row created now."""
    return _generator.next_id(_millis(timezone.now()))


def snowflake_for(when: datetime, *, sequence: int | None = None) -> int:
    """An id for a row created at `when` (for backfilled rows); random sequence by default."""
    seq = secrets.randbelow(SEQUENCE_MASK + 1) if sequence is None else sequence & SEQUENCE_MASK
    return (_millis(when) << SEQUENCE_BITS) | seq


def snowflake_floor(when: datetime) -> int:
    """The smallest id any row created at `when` can have (for time-based cursors)."""
    return _millis(when) << SEQUENCE_BITS


def snowflake_time(snowflake: int) -> datetime:
    """The creation time encoded in an id."""
    return datetime.fromtimestamp((snowflake >> SEQUENCE_BITS) / 1000, tz=UTC)


def ascii_digits(text: str) -> bool:
    """True for one or more of 0-9 and nothing else: text `int()` reads as the number it
    shows. `str.isdigit()` alone also says yes to "²" or "①", which `int()` refuses, so a
    check with it let such a path or form value through to a 500."""
    return text.isascii() and text.isdigit()


def parse_snowflake(raw: str | int | None) -> int | None:
    """Read an id from a request (a string of digits); None when it is not a valid id."""
    if raw is None:
        return None
    text = str(raw).strip()
    if not ascii_digits(text) or len(text) > 19:
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def id_or_not_found(raw: object) -> int:
    """An id from a URL or a body, or NotFound ("Record not found"): a malformed id is
    answered exactly as an unknown one."""
    value = parse_snowflake(raw if isinstance(raw, str | int) else None)
    if value is None:
        raise NotFound(NOT_FOUND)
    return value
