"""Fixtures shared by the whole suite."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from staffroom.accounts.models import User
from tests.factories import make_user


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters in the cache must not leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user(db) -> User:
    return make_user(handle="ada")


@pytest.fixture
def client_for(client):
    """A test client signed in as the given user."""

    def sign_in(account: User):
        client.force_login(account, backend="staffroom.accounts.backends.EmailOrHandleBackend")
        return client

    return sign_in
