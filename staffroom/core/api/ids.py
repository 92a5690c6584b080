"""Ids in API requests: one path id (`parse_id`) and the `id[]` lists of batch lookups."""

from __future__ import annotations

from collections.abc import Sequence

from ninja import Schema
from pydantic import Field

from staffroom.core.exceptions import NotFound, ValidationFailed
from staffroom.core.ids import id_or_not_found

# Mastodon answers relationships, familiar followers and statuses for up to this many ids.
QUERY_IDS_MAX = 40

parse_id = id_or_not_found  # one rule for ids everywhere (core/ids.py)


class IdsQuery(Schema):
    """`id[]=1&id[]=2` (or a single `id=1`)."""

    # Documented as `maxItems`; query_ids keeps Mastodon's message for callers outside a schema.
    id: list[str] = Field(default_factory=list, max_length=QUERY_IDS_MAX)


def query_ids(values: Sequence[str]) -> list[int]:
    """The ids of a query such as `id[]=1&id[]=2`: at most QUERY_IDS_MAX (more is a 422);
    malformed ones are left out (Mastodon omits what it cannot find); duplicates once."""
    if len(values) > QUERY_IDS_MAX:
        raise ValidationFailed(f"Validation failed: at most {QUERY_IDS_MAX} ids at a time")
    found: list[int] = []
    for value in values:
        try:
            found.append(parse_id(value))
        except NotFound:
            continue
    return list(dict.fromkeys(found))
