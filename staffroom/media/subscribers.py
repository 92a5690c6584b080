"""What media does when something happens elsewhere (docs/overview/architecture.md)."""

from __future__ import annotations

from staffroom.core.events import MediaDeleted, MediaUploaded, StatusDeleted, subscriber
from staffroom.core.jobs import enqueue
from staffroom.media.services import attachments_delete_for_statuses
from staffroom.media.tasks import media_files_delete_task, media_process_task


@subscriber(MediaUploaded)
def process_upload(event: MediaUploaded) -> None:
    """Audio, video and documents are proven and rewritten by a job, after commit."""
    if not event.processed:
        enqueue(media_process_task, media_id=event.media_id)


@subscriber(MediaDeleted)
def delete_stored_files(event: MediaDeleted) -> None:
    """Files go once the rows' deletion commits (never before: a rollback keeps both)."""
    if event.stored_names:
        enqueue(media_files_delete_task, names=list(event.stored_names))


@subscriber(StatusDeleted)
def delete_attachments_of_deleted_status(event: StatusDeleted) -> None:
    """A post's attachments go with it, files included."""
    attachments_delete_for_statuses([event.status_id])
