"""Test data builders. Accounts go through the same service as sign-up; remote profiles
(other servers' accounts) are stored as federation stores them."""

from __future__ import annotations

import itertools

from staffroom.accounts.models import User
from staffroom.accounts.services import account_create
from staffroom.profiles.models import Profile

_counter = itertools.count(1)
DEFAULT_PASSWORD = "a long enough passphrase"


def make_user(
    *,
    handle: str | None = None,
    email: str | None = None,
    password: str = DEFAULT_PASSWORD,
    verified: bool = True,
    **extra: object,
) -> User:
    number = next(_counter)
    handle = handle or f"teacher{number}"
    return account_create(
        email=email or f"{handle.lower()}@school.example",
        handle=handle,
        password=password,
        verified=verified,
        **extra,  # type: ignore[arg-type]
    )


def make_remote_profile(*, handle: str | None = None, domain: str = "mastodon.example") -> Profile:
    """A profile of another server's account, as federation stores one: no user here, the
    server's host as `domain`, its actor URI."""
    handle = handle or f"remote{next(_counter)}"
    return Profile.objects.create(
        handle=handle, domain=domain, uri=f"https://{domain}/users/{handle}"
    )
