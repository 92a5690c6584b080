"""`/api/v1/pln/imports`: upload a Mastodon CSV export, list imports, follow one's progress.

Mastodon has no import API, so this lives under /api/v1/pln (DESIGN.md). An import changes
follows, lists, blocks, mutes and bookmarks, so uploading needs the whole `write` scope and
reading needs `read`. Another person's import answers 404. Mounted in config/api.py with
`api.add_router("/v1/pln", importing_api.router)`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field, field_validator

from staffroom.core.api.auth import TokenAuth
from staffroom.core.api.openapi import also_answers
from staffroom.core.exceptions import ValidationFailed
from staffroom.importing.models import ImportJob, ImportMode
from staffroom.importing.selectors import (
    import_get,
    import_issues,
    import_list_for,
    import_report,
    row_value,
)
from staffroom.importing.services import import_create
from staffroom.profiles.selectors import own_profile

router = Router(tags=["pln"])


class ImportReportOut(Schema):
    imported: int
    already: int
    not_found: int
    not_on_this_server: int
    failed: int


class ImportIssueOut(Schema):
    line: int
    value: str
    outcome: str
    reason: str


class ImportOut(Schema):
    id: str
    type: str
    mode: str
    state: str
    file_name: str
    total: int
    processed: int
    report: ImportReportOut
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class ImportDetailOut(ImportOut):
    issues: list[ImportIssueOut] = Field(
        description="Rows not imported (first 200, in line order), once the import finished"
    )


class ImportIn(Schema):
    """A multipart upload: `file` (the CSV), `type` and `mode` (`merge` or `overwrite`)."""

    file: UploadedFile | None = None
    type: str = Field("", max_length=32)
    mode: str = Field(ImportMode.MERGE, max_length=32)

    @field_validator("file", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if value == "" else value


def _out(job: ImportJob) -> dict[str, Any]:
    report = import_report(job)
    return {
        "id": str(job.pk),
        "type": job.type,
        "mode": job.mode,
        "state": job.state,
        "file_name": job.file_name,
        "total": report.total,
        "processed": report.processed,
        "report": {
            "imported": report.imported,
            "already": report.already,
            "not_found": report.not_found,
            "not_on_this_server": report.remote,
            "failed": report.failed,
        },
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


@router.post(
    "/imports",
    response={202: ImportOut},
    auth=TokenAuth("write"),
    openapi_extra=also_answers(409),
    summary="Import a Mastodon CSV export (multipart `file`, `type`, `mode`), in the background",
)
def create_import(request: HttpRequest, payload: ImportIn) -> Status[dict[str, Any]]:
    """`type`: following, lists, blocks, mutes, bookmarks or domain_blocks. 413 for a file
    over 2 MB, 422 for one that is not UTF-8 CSV, empty, over 20,000 rows or another type's
    export, 409 while another import of yours runs."""
    if payload.file is None:
        raise ValidationFailed("Validation failed: File can't be blank")
    job = import_create(
        actor=own_profile(request), upload=payload.file, kind=payload.type, mode=payload.mode
    )
    return Status(202, _out(job))


@router.get(
    "/imports",
    response=list[ImportOut],
    auth=TokenAuth("read"),
    summary="Your imports, newest first (the last 50), with their progress",
)
def list_imports(request: HttpRequest) -> list[dict[str, Any]]:
    return [_out(job) for job in import_list_for(owner=own_profile(request))]


@router.get(
    "/imports/{import_id}",
    response=ImportDetailOut,
    auth=TokenAuth("read"),
    summary="One of your imports: progress, report, and the rows not imported with why",
)
def get_import(request: HttpRequest, import_id: str) -> dict[str, Any]:
    job = import_get(owner=own_profile(request), import_id=import_id)
    issues = [] if job.is_unfinished else import_issues(job)
    return {
        **_out(job),
        "issues": [
            {
                "line": row.line,
                "value": row_value(row),
                "outcome": row.outcome,
                "reason": row.detail,
            }
            for row in issues
        ],
    }
