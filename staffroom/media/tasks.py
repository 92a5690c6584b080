"""Background jobs of media: thin, idempotent wrappers that take ids and call one function."""

from __future__ import annotations

from datetime import timedelta

from staffroom.core.jobs import job
from staffroom.core.scheduler import periodic
from staffroom.media.services import media_files_delete, media_orphans_sweep, media_process


@job(max_attempts=3)
def media_process_task(*, media_id: int) -> None:
    """Prove and rewrite one upload (a row no longer processing is left alone)."""
    media_process(media_id)


@job(max_attempts=8)
def media_files_delete_task(*, names: list[str]) -> None:
    """Delete stored files of attachments that are gone (a missing file is fine)."""
    media_files_delete(names)


@periodic(every=timedelta(hours=1), name="media.orphans-sweep")
@job(max_attempts=3)
def media_orphans_sweep_task() -> None:
    """Delete uploads never attached to a post, and attachments whose post is gone."""
    media_orphans_sweep()
