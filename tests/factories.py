"""Test data builders. Accounts go through the same service as sign-up."""

from __future__ import annotations

import itertools

from staffroom.accounts.models import User
from staffroom.accounts.services import account_create

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
