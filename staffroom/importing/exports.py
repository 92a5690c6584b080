"""The importing export part: `imports.json`, what the teacher imported and how it went.

What an import changed is in the graph's and the posts' parts already (the follows, lists,
blocks, mutes, bookmarks and domain blocks themselves); this part keeps the history: each
import's file name, type, mode, state and report, and the rows that were not imported with
their reasons (the teacher's own uploaded lines, nothing of anyone else's).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from staffroom.importing.models import ImportJob, RowOutcome
from staffroom.importing.selectors import import_report, row_value
from staffroom.leaving.export import ExportWriter, export_part

if TYPE_CHECKING:
    from staffroom.accounts.models import User

NOT_IMPORTED = [RowOutcome.FAILED, RowOutcome.NOT_FOUND, RowOutcome.REMOTE]


def _document(job: ImportJob) -> dict[str, Any]:
    report = import_report(job)
    rows = job.rows.filter(outcome__in=NOT_IMPORTED).order_by("line")
    return {
        "id": str(job.pk),
        "type": job.type,
        "mode": job.mode,
        "state": job.state,
        "file_name": job.file_name,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "total": report.total,
        "report": {
            "imported": report.imported,
            "already": report.already,
            "not_found": report.not_found,
            "not_on_this_server": report.remote,
            "failed": report.failed,
        },
        "not_imported": [
            {
                "line": row.line,
                "value": row_value(row),
                "outcome": row.outcome,
                "reason": row.detail,
            }
            for row in rows.iterator(chunk_size=2000)
        ],
    }


@export_part(name="imports", version=1, order=400)
def imports_export(user: User, writer: ExportWriter) -> None:
    """`imports.json`: every import of the teacher's, oldest first (none: no file)."""
    jobs = list(ImportJob.objects.filter(owner__user=user).order_by("id"))
    if jobs:
        writer.write_json("imports.json", {"imports": [_document(job) for job in jobs]})
