"""What the trends tests share: a handful of teachers, refreshing trends, and approving."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from staffroom.accounts.models import User
from staffroom.moderation.services import trend_review
from staffroom.profiles.models import Profile
from staffroom.trends.services import trends_refresh
from tests.factories import make_profiles


@pytest.fixture
def teachers(db) -> list[Profile]:
    return make_profiles(6, "teacher")


@pytest.fixture
def refresh() -> Callable[[], dict[str, int]]:
    return trends_refresh


@pytest.fixture
def approve(moderator: User) -> Callable[[str, int], None]:
    """`approve(kind, item_id)` as a moderator."""

    def run(kind: str, item_id: int, decision: str = "approve") -> None:
        trend_review(actor=moderator, kind=kind, item_id=item_id, decision=decision)

    return run
