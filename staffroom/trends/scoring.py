"""The trend score of one item from its daily counts; plain Python, no database.

Each day of the window (day 0 is today, UTC) has the distinct accounts that used the item
(`observed`) and its uses. As in Mastodon, what counts is accounts, not uses (one teacher
posting a hashtag a hundred times is one account), and a rise over the item's usual level
counts more: a day's expected level is the mean of the days before it in the window (at
least 1). A day scores `observed * max(1, observed / expected)`, so steady talk among many
teachers keeps an item up and a jump lifts it further; the days are summed, each halved
per half-life of age, so a trend fades over the week.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class DayCount:
    accounts: int
    uses: int


def day_score(observed: int, expected: float) -> float:
    """What one day adds before decay: its accounts, boosted by a rise over `expected`."""
    return observed * max(1.0, observed / max(expected, 1.0))


def item_score(days: Sequence[DayCount], *, half_life_days: float) -> float:
    """The decayed score of an item whose counts are `days` (index 0 is today)."""
    total = 0.0
    for age, day in enumerate(days):
        if not day.accounts:
            continue
        before = days[age + 1 :]
        expected = sum(item.accounts for item in before) / len(before) if before else 1.0
        total += day_score(day.accounts, expected) * 0.5 ** (age / half_life_days)
    return total
