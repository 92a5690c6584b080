"""`/api/v1/pln/export`: ask for an archive, follow it, download it, with a token.

Mastodon has no export API, so this lives under /api/v1/pln (DESIGN.md). The archive holds
everything the account can read, so every route needs the whole `read` scope (a token with
only `read:accounts` gets 403). Mounted in config/api.py with
`api.add_router("/v1/pln", leaving_api.router)`.
"""

from __future__ import annotations

from datetime import datetime

from django.http import FileResponse, HttpRequest
from ninja import Router, Schema, Status

from staffroom.accounts.selectors import request_user
from staffroom.core.api.auth import TokenAuth
from staffroom.core.api.ids import parse_id
from staffroom.core.api.openapi import also_answers
from staffroom.leaving.models import ExportRequest
from staffroom.leaving.selectors import export_list_for_user
from staffroom.leaving.services import export_get_for_download, export_request

router = Router(tags=["pln"])


class ExportOut(Schema):
    id: str
    state: str
    created_at: datetime
    finished_at: datetime | None
    expires_at: datetime | None
    size: int | None
    download_url: str | None


def _export_out(request: HttpRequest, export: ExportRequest) -> ExportOut:
    ready = export.state == "ready"
    return ExportOut(
        id=str(export.pk),
        state=export.state,
        created_at=export.created_at,
        finished_at=export.finished_at,
        expires_at=export.expires_at,
        size=export.size,
        download_url=(
            request.build_absolute_uri(f"/api/v1/pln/export/{export.pk}/download")
            if ready
            else None
        ),
    )


@router.get(
    "/export",
    response=list[ExportOut],
    auth=TokenAuth("read"),
    summary="Your data exports, newest first",
)
def list_exports(request: HttpRequest) -> list[ExportOut]:
    return [_export_out(request, e) for e in export_list_for_user(user=request_user(request))]


@router.post(
    "/export",
    response={202: ExportOut},
    auth=TokenAuth("read"),
    openapi_extra=also_answers(409),
    summary="Ask for a data export (409 while one is being prepared, 429 past the daily limit)",
)
def create_export(request: HttpRequest) -> Status[ExportOut]:
    return Status(202, _export_out(request, export_request(user=request_user(request))))


@router.get(
    "/export/{export_id}/download",
    auth=TokenAuth("read"),
    summary="Download a ready export (a zip); 404 for anyone but its owner",
)
def download_export(request: HttpRequest, export_id: str) -> FileResponse:
    # A malformed or out-of-range id is "Record not found", as every other id in a path.
    export, path = export_get_for_download(
        user=request_user(request), export_id=parse_id(export_id)
    )
    filename = f"staffroom-export-{export.pk}.zip"
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=filename, content_type="application/zip"
    )
