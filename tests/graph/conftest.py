"""Fixtures for the graph tests: a few teachers, as profiles (the graph's parties)."""

from __future__ import annotations

import pytest

from staffroom.profiles.models import Profile
from tests.factories import make_user


@pytest.fixture
def ada(db) -> Profile:
    return make_user(handle="ada").profile


@pytest.fixture
def bo(db) -> Profile:
    return make_user(handle="bo").profile


@pytest.fixture
def cy(db) -> Profile:
    return make_user(handle="cy").profile


@pytest.fixture
def locked(db) -> Profile:
    profile = make_user(handle="lockedlee").profile
    profile.is_locked = True
    profile.save(update_fields=["is_locked"])
    return profile
