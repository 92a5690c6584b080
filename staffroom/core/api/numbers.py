"""Whole numbers in API input, bounded by what the database can hold.

Pydantic reads `int` without limit, so `offset=99999999999999999999` reached a query as a
number PostgreSQL's bigint cannot take, and the route answered 500 (SQLite, which the tests
run on, let it pass). Every integer a route reads, from the query, the path or the body,
uses one of these instead of a bare `int`:

- `Int64`: a number beyond the signed 64-bit range is a 422 naming the field;
- `ClampedInt64`: read as the nearest 64-bit value, never an error (Mastodon clamps paging
  numbers; `page_window` and `clamp_id` narrow them further);
- `Offset`: 0..MAX_OFFSET, clamped (a negative offset is 0, a huge one the last page).

A number that is not a whole number (`1e3`, `abc`) stays a 422, as for any `int`.
tests/core/test_integer_input.py checks that no integer in the OpenAPI document lacks
these bounds, and sweeps every GET route with out-of-range numbers.
"""

from __future__ import annotations

from typing import Annotated

from annotated_types import Ge, Le
from pydantic import AfterValidator, WithJsonSchema

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
MAX_OFFSET = 100_000


def _clamp(low: int, high: int) -> AfterValidator:
    return AfterValidator(lambda value: max(low, min(value, high)))


def _bounds(low: int, high: int, note: str) -> WithJsonSchema:
    """The JSON schema says the range a value is read within, and that it is clamped. Not as
    `minimum`/`maximum`: any whole number is accepted (and read as the nearest in range),
    so a client or a schema-driven test must not take one outside it for a refusal."""
    return WithJsonSchema(
        {"type": "integer", "x-clamped": {"minimum": low, "maximum": high}, "description": note}
    )


Int64 = Annotated[int, Ge(INT64_MIN), Le(INT64_MAX)]
ClampedInt64 = Annotated[
    int,
    _clamp(INT64_MIN, INT64_MAX),
    _bounds(INT64_MIN, INT64_MAX, "numbers beyond 64 bits are read as the nearest one"),
]
Offset = Annotated[
    int,
    _clamp(0, MAX_OFFSET),
    _bounds(0, MAX_OFFSET, "a negative offset is 0, a larger one the largest"),
]
