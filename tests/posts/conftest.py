"""Fixtures for the posts tests: a few teachers (profiles) and a way to post as them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from staffroom.posts.models import Status
from staffroom.posts.services import PostText, status_create
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
def stranger(db) -> Profile:
    return make_user(handle="stranger").profile


@pytest.fixture
def post() -> Callable[..., Status]:
    """`post(author, "text", visibility="followers", in_reply_to=status)`."""

    def make(author: Profile, text: str = "Hello staffroom", **options: object) -> Status:
        return status_create(author=author, draft=PostText(text=text), **options)  # type: ignore[arg-type]

    return make
