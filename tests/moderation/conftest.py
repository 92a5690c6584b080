"""Fixtures for the moderation tests: an owner, an administrator, a moderator, teachers,
and a way to post as them."""

from __future__ import annotations

import pytest

from staffroom.accounts.models import StaffRole, User
from tests.factories import make_user
from tests.posts.conftest import ada, bo, cy, post

__all__ = ["ada", "admin", "bo", "cy", "moderator", "owner", "post"]


def _staff(handle: str, role: str) -> User:
    user = make_user(handle=handle)
    user.role = role
    user.is_staff = role == StaffRole.ADMIN
    user.save(update_fields=["role", "is_staff"])
    return user


@pytest.fixture
def owner(db) -> User:
    return make_user(handle="headteacher", is_superuser=True, is_staff=True)


@pytest.fixture
def admin(db) -> User:
    return _staff("principal", StaffRole.ADMIN)


@pytest.fixture
def moderator(db) -> User:
    return _staff("modmo", StaffRole.MODERATOR)
