"""Search: one function for every interface (the API, the web page), every kind.

`search` reads the query once (`query.parse_query`) and asks each registered kind
(`registry`) for its results as `viewer` may see them. The kinds decide who may find
what: people (`kinds/accounts.py`), posts (`kinds/statuses.py`, Mastodon 4.2's rule, and
never a post the viewer may not see), hashtags (`kinds/hashtags.py`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from staffroom.core.exceptions import ValidationFailed
from staffroom.posts.models import Status, Tag
from staffroom.profiles.models import Profile
from staffroom.search.query import ParsedQuery, parse_query
from staffroom.search.registry import LIMIT_MAX, OFFSET_MAX, SearchKind, SearchOptions, kinds


class UnknownKind(ValidationFailed):
    """A kind was asked for that no app registered (422 over the API)."""


@dataclass
class SearchResults:
    query: ParsedQuery
    by_kind: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def accounts(self) -> list[Profile]:
        return self.by_kind.get("accounts", [])

    @property
    def statuses(self) -> list[Status]:
        return self.by_kind.get("statuses", [])

    @property
    def hashtags(self) -> list[Tag]:
        return self.by_kind.get("hashtags", [])

    @property
    def is_empty(self) -> bool:
        return not any(self.by_kind.values())


def search_options(
    *,
    limit: int = 20,
    offset: int = 0,
    following: bool = False,
    account_id: int | None = None,
    resolve: bool = False,
    exclude_unreviewed: bool = False,
    authors_followed: bool = False,
) -> SearchOptions:
    """Options with `limit` clamped to 1..LIMIT_MAX and `offset` to 0..OFFSET_MAX (an
    absurd offset reads as the last page there can be, never an error)."""
    return SearchOptions(
        limit=min(max(limit, 1), LIMIT_MAX),
        offset=min(max(offset, 0), OFFSET_MAX),
        following=following,
        account_id=account_id,
        resolve=resolve,
        exclude_unreviewed=exclude_unreviewed,
        authors_followed=authors_followed,
    )


def search(
    viewer: Profile | None,
    text: str,
    *,
    kinds: Collection[str] | None = None,
    limit: int = 20,
    offset: int = 0,
    following: bool = False,
    account_id: int | None = None,
    resolve: bool = False,
    exclude_unreviewed: bool = False,
    authors_followed: bool = False,
) -> SearchResults:
    """What `viewer` (None: signed out) finds for `text`, by kind, best first.

    `kinds` names the kinds wanted (default: all registered); an unknown name raises
    UnknownKind. `limit` (at most 40) and `offset` apply to each kind. Signed-out viewers
    find people and hashtags, not posts. Reads only; a few queries per kind.
    """
    query = parse_query(text)
    options = search_options(
        limit=limit,
        offset=offset,
        following=following,
        account_id=account_id,
        resolve=resolve,
        exclude_unreviewed=exclude_unreviewed,
        authors_followed=authors_followed,
    )
    return SearchResults(
        query=query,
        by_kind={kind.name: kind.search(viewer, query, options) for kind in _chosen(kinds)},
    )


def _chosen(names: Collection[str] | None) -> list[SearchKind]:
    registered = kinds()
    if names is None:
        return registered
    unknown = set(names) - {kind.name for kind in registered}
    if unknown:
        raise UnknownKind(f"Validation failed: unknown type {', '.join(sorted(unknown))}")
    return [kind for kind in registered if kind.name in names]
