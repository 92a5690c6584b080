"""How conversations follow the direct posts (domain events, `core/events.py`).

All run in the emitting transaction: a conversation row commits or rolls back with the
post that changed it, so nothing is half-written. Only direct posts (not reshares) and
blocks concern them; after a bulk load (the demo) every row is rebuilt from the posts.
"""

from __future__ import annotations

from staffroom.conversations import services
from staffroom.core.events import (
    AccountSuspended,
    AccountUnsuspended,
    BlockCreated,
    BlockDeleted,
    BulkLoaded,
    StatusCreated,
    StatusDeleted,
    StatusRemoved,
    StatusRestored,
    subscriber,
)
from staffroom.posts.models import Status, Visibility


def _is_direct(visibility: str, reblog_of_id: int | None = None) -> bool:
    return visibility == Visibility.DIRECT and reblog_of_id is None


def _loaded(status_id: int) -> Status | None:
    return Status.objects.filter(pk=status_id).first()


@subscriber(StatusCreated)
def add_direct_status(event: StatusCreated) -> None:
    if _is_direct(event.visibility, event.reblog_of_id):
        status = _loaded(event.status_id)
        if status is not None:
            services.conversations_add_status(status)


@subscriber(StatusRestored)
def restore_direct_status(event: StatusRestored) -> None:
    if _is_direct(event.visibility):
        status = _loaded(event.status_id)
        if status is not None:
            services.conversations_restore_status(status)


@subscriber(StatusDeleted)
def forget_deleted_status(event: StatusDeleted) -> None:
    """The row is gone and the rows that showed it have no last post: they fall back."""
    if _is_direct(event.visibility, event.reblog_of_id):
        services.conversations_forget_status(
            owner_ids=(event.account_id, *event.mentioned_ids), status_id=None
        )


@subscriber(StatusRemoved)
def forget_removed_status(event: StatusRemoved) -> None:
    if _is_direct(event.visibility):
        services.conversations_forget_status(
            owner_ids=_people_of(event.status_id), status_id=event.status_id
        )


def _people_of(status_id: int) -> list[int]:
    """The author and the people mentioned in a post whose row is still there."""
    status = Status.objects.filter(pk=status_id).prefetch_related("mention_rows").first()
    if status is None:
        return []
    return [status.account_id, *(row.profile_id for row in status.mention_rows.all())]


@subscriber(BlockCreated, BlockDeleted)
def refresh_after_block(event: BlockCreated | BlockDeleted) -> None:
    services.conversations_between_refresh(event.blocker_id, event.blocked_id)


@subscriber(AccountSuspended, AccountUnsuspended)
def refresh_after_standing_change(event: AccountSuspended | AccountUnsuspended) -> None:
    services.conversations_naming_refresh(event.profile_id)


@subscriber(BulkLoaded)
def rebuild_after_bulk_load(event: BulkLoaded) -> None:
    if "posts.Status" in event.models:
        services.conversations_rebuild()
