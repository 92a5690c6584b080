"""The search index's upkeep job: merging FTS5 segments outside the posting transaction."""

from __future__ import annotations

from datetime import timedelta

from staffroom.core.jobs import job
from staffroom.core.scheduler import periodic
from staffroom.search.services import index_merge_all


@periodic(every=timedelta(minutes=1), name="search.merge")
@job(max_attempts=1)
def search_merge_task() -> None:
    """Merge the segments that posting and editing added to the index (SQLite; nothing to
    do on PostgreSQL). A missed or failed run is made up by the next one, so no retries."""
    index_merge_all()
