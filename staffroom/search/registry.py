"""The searchable kinds: each registers itself, so a new one never edits the search module.

A kind names itself ("accounts", "statuses", "hashtags", later "resources"...), gives the
function that answers a search for a viewer, and, when its text lives in the full-text
index, an `IndexSource` that says how to read its documents (for the rebuild command and
for the subscribers that keep the index in step). Kinds register from their app's
`search.py` module (discovered at start-up) or its AppConfig.ready():

    register_kind(SearchKind(name="resources", search=resource_search, order=40,
                             index=IndexSource(documents=resource_documents)))

An indexed kind also needs its index table, made by a migration of its app that calls
`staffroom.search.engine.create_index(schema_editor, "resources")`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from staffroom.profiles.models import Profile
from staffroom.search.query import ParsedQuery

LIMIT_MAX = 40
OFFSET_MAX = 10_000


@dataclass(frozen=True, kw_only=True)
class SearchOptions:
    """What a search asks besides its text; every kind reads what applies to it."""

    limit: int = 20
    offset: int = 0
    following: bool = False  # accounts: only those the viewer follows
    account_id: int | None = None  # statuses: only by this account
    # statuses: only by the viewer and the people they follow (the web page's filter; the
    # Mastodon API's `following` is about accounts only)
    authors_followed: bool = False
    resolve: bool = False  # exact handles and local URLs (federation will fetch remote ones)
    exclude_unreviewed: bool = False  # hashtags: only those a moderator reviewed


# A batch of (object id, plain text) documents with ids greater than `after`, in id order.
DocumentBatch = Callable[[int, int], Sequence[tuple[int, str]]]
# The documents of these ids as they should be indexed now; ids missing from the answer
# (deleted, or no longer to be indexed) are taken out of the index.
DocumentsOf = Callable[[Collection[int]], dict[int, str]]
KindSearch = Callable[[Profile | None, ParsedQuery, SearchOptions], list[Any]]


@dataclass(frozen=True, kw_only=True)
class IndexSource:
    """How the rebuild and the subscribers read a kind's documents (see the aliases)."""

    batch: DocumentBatch
    documents_of: DocumentsOf


@dataclass(frozen=True, kw_only=True)
class SearchKind:
    name: str
    search: KindSearch
    order: int = 100  # where the kind comes in the results and the API
    index: IndexSource | None = None


_KINDS: dict[str, SearchKind] = {}


def register_kind(kind: SearchKind) -> SearchKind:
    """Add (or replace, when a module is imported twice) a searchable kind."""
    _KINDS[kind.name] = kind
    return kind


def unregister_kind(name: str) -> None:
    """Take a kind out (tests that register one of their own)."""
    _KINDS.pop(name, None)


def kinds() -> list[SearchKind]:
    """Every registered kind, in result order."""
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.name))


def kind_named(name: str) -> SearchKind | None:
    return _KINDS.get(name)


def indexed_kinds() -> list[SearchKind]:
    return [kind for kind in kinds() if kind.index is not None]
