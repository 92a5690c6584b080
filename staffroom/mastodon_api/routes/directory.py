"""`/api/v1/directory`: the profile directory (discoverable accounts), open to anyone."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Router

from staffroom.core.api.auth import optional_token
from staffroom.core.api.numbers import ClampedInt64, Offset
from staffroom.core.api.pagination import DEFAULT_LIMIT, page_window
from staffroom.mastodon_api.entities import Account, AccountEntity, account_entities
from staffroom.profiles.selectors import directory_list

router = Router(tags=["directory"])


@router.get(
    "",
    response=list[Account],
    exclude_unset=True,
    summary="Discoverable accounts, most recently active or newest first",
)
def directory(
    request: HttpRequest,
    order: Literal["active", "new"] = "active",
    local: bool = False,
    offset: Offset = 0,
    limit: ClampedInt64 = DEFAULT_LIMIT,
) -> list[AccountEntity]:
    """Mastodon pages the directory with `offset` and `limit` (at most 80), no Link header."""
    optional_token(request)
    size, start = page_window(limit, offset)
    profiles = directory_list(
        order=order, local=local, offset=start, limit=size, viewer=request.user
    )
    return account_entities(profiles, request=request)
