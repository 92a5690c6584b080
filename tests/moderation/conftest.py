"""Fixtures for the moderation tests: an owner, an administrator, a moderator, teachers,
and a way to post as them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from staffroom.accounts.models import StaffRole, User
from staffroom.posts.models import Status
from staffroom.posts.services import PostText, status_create
from staffroom.profiles.models import Profile
from tests.factories import make_user


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
def post() -> Callable[..., Status]:
    """`post(author, "text", visibility="followers")`."""

    def make(author: Profile, text: str = "Hello staffroom", **options: object) -> Status:
        return status_create(author=author, draft=PostText(text=text), **options)  # type: ignore[arg-type]

    return make
