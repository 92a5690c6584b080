"""What importing does when something happens (docs/overview/architecture.md)."""

from __future__ import annotations

from staffroom.core.events import ImportQueued, subscriber
from staffroom.core.jobs import enqueue
from staffroom.importing.tasks import import_run_task


@subscriber(ImportQueued)
def run_import(event: ImportQueued) -> None:
    """The import's job is written in the transaction that stored its rows."""
    enqueue(import_run_task, import_id=event.import_id)
