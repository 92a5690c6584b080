"""Keeping the index in step with posts and profiles, in the transaction that changed them.

Each handler re-reads the rows its event names (`IndexSource.documents_of`) and writes
their documents, or takes them out when they are gone or no longer indexed (a deleted or
removed post, a reshare). Indexing one post is a few index rows written in the posting
transaction (well under the 5 ms budget measured by `python -m bench search`), so the
index commits or rolls back with its cause; only merging the index's segments is left to
a job (`search.merge`). Who may find what is decided
at query time (indexable, discoverable, suspensions, blocks), so those changes need no
reindexing. A bulk load rebuilds the kinds whose models it names.
"""

from __future__ import annotations

from staffroom.core.events import (
    BulkLoaded,
    ProfileUpdated,
    StatusCreated,
    StatusDeleted,
    StatusEdited,
    StatusRemoved,
    StatusRestored,
    subscriber,
)
from staffroom.search.services import index_rebuild, index_refresh, index_remove

# Which bulk-loaded models feed which index.
_BULK_KINDS = {
    "posts.Status": "statuses",
    "profiles.Profile": "accounts",
    "profiles.ProfileTerm": "accounts",
}


@subscriber(StatusCreated, StatusEdited, StatusRestored)
def index_status(event: StatusCreated | StatusEdited | StatusRestored) -> None:
    if getattr(event, "reblog_of_id", None) is None:
        index_refresh("statuses", [event.status_id])


@subscriber(StatusDeleted, StatusRemoved)
def unindex_status(event: StatusDeleted | StatusRemoved) -> None:
    index_remove("statuses", [event.status_id])


@subscriber(ProfileUpdated)
def index_profile(event: ProfileUpdated) -> None:
    index_refresh("accounts", [event.profile_id])


@subscriber(BulkLoaded)
def rebuild_after_bulk_load(event: BulkLoaded) -> None:
    for kind in sorted({_BULK_KINDS[label] for label in event.models if label in _BULK_KINDS}):
        index_rebuild(kind)
