"""Relevance and recency together: a match's relevance, discounted by its age.

The age comes from the snowflake id (no row read); a post loses half its weight after
HALF_LIFE_DAYS, so a fresh good match beats an old slightly better one, and an old one
still outranks a fresh match of a single word among many.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from staffroom.core.ids import snowflake_time

HALF_LIFE_DAYS = 30.0


def ranked(scored: Iterable[tuple[int, float]]) -> list[int]:
    """Ids, best first: relevance over (1 + age / half-life), ties newest first."""
    now = timezone.now()

    def weight(item: tuple[int, float]) -> tuple[float, int]:
        pk, relevance = item
        age_days = max((now - snowflake_time(pk)).total_seconds(), 0.0) / 86_400
        return relevance / (1.0 + age_days / HALF_LIFE_DAYS), pk

    return [pk for pk, _ in sorted(scored, key=weight, reverse=True)]
