"""Export requests: the job end to end, the limits, downloads and pruning."""

from __future__ import annotations

import io
import json
import os
import time
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from staffroom.core.exceptions import Conflict, NotFound, RateLimited
from staffroom.leaving.models import ExportRequest, ExportState
from staffroom.leaving.services import (
    EXPORTS_PER_DAY,
    export_build,
    export_get_for_download,
    export_path,
    export_request,
    exports_dir,
)
from staffroom.leaving.tasks import exports_prune_task


def test_export_request_builds_a_readable_archive_in_the_job(teacher, files, run_jobs):
    export = export_request(user=teacher.user)
    assert export.state == ExportState.PENDING
    run_jobs()
    export.refresh_from_db()
    assert export.state == ExportState.READY
    path = export_path(export)
    assert path is not None
    assert path.parent == files / "data" / "exports"
    assert export.size == path.stat().st_size
    assert export.finished_at is not None
    assert export.expires_at == export.finished_at + timedelta(days=7)
    archive = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    assert json.loads(archive.read("manifest.json"))["account"]["handle"] == "ada"
    assert any(name.startswith("media/avatar.") for name in archive.namelist())


def test_export_request_while_one_is_pending_is_a_conflict(teacher):
    export_request(user=teacher.user)
    with pytest.raises(Conflict, match="already being prepared"):
        export_request(user=teacher.user)
    assert ExportRequest.objects.count() == 1


def test_export_request_is_limited_per_day(teacher, run_jobs):
    """SECURITY-PLAN D-2."""
    for _ in range(EXPORTS_PER_DAY):
        export_request(user=teacher.user)
        run_jobs()
    with pytest.raises(RateLimited) as raised:
        export_request(user=teacher.user)
    assert raised.value.retry_after > 0
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        export_request(user=teacher.user)


def test_export_build_job_is_idempotent(teacher, run_jobs):
    """SECURITY-PLAN D-1."""
    export = export_request(user=teacher.user)
    run_jobs()
    export.refresh_from_db()
    finished = export.finished_at
    export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.state == ExportState.READY
    assert export.finished_at == finished


def test_export_get_for_download_hides_other_teachers_exports(teacher, colleague, run_jobs):
    """SECURITY-PLAN A-7, D-2."""
    export = export_request(user=teacher.user)
    with pytest.raises(NotFound):  # not ready yet
        export_get_for_download(user=teacher.user, export_id=export.pk)
    run_jobs()
    assert export_get_for_download(user=teacher.user, export_id=export.pk)[0] == export
    with pytest.raises(NotFound):
        export_get_for_download(user=colleague.user, export_id=export.pk)


def test_exports_prune_deletes_expired_archives(teacher, colleague, run_jobs):
    """SECURITY-PLAN D-2."""
    old = export_request(user=teacher.user)
    run_jobs()
    old.refresh_from_db()
    old_path = export_path(old)
    assert old_path is not None
    with time_machine.travel(timezone.now() + timedelta(days=6)):
        fresh = export_request(user=colleague.user)
        run_jobs()
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        exports_prune_task()
        with pytest.raises(NotFound):
            export_get_for_download(user=teacher.user, export_id=old.pk)
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.state == ExportState.EXPIRED
    assert not old_path.exists()
    assert fresh.state == ExportState.READY
    assert [path.name for path in exports_dir().iterdir()] == [f"export-{fresh.pk}.zip"]


def test_exports_prune_fails_stuck_builds_and_removes_their_partial_files(teacher):
    export = export_request(user=teacher.user)
    ExportRequest.objects.filter(pk=export.pk).update(
        state=ExportState.RUNNING, started_at=timezone.now() - timedelta(hours=7)
    )
    partial = exports_dir() / f"export-{export.pk}.zip.partial"
    partial.write_bytes(b"half")
    old = time.time() - 7 * 3600
    os.utime(partial, (old, old))
    exports_prune_task()
    export.refresh_from_db()
    assert export.state == ExportState.FAILED
    assert not partial.exists()
    export_request(user=teacher.user)  # no longer blocked by the stuck one


def test_export_build_for_a_deleted_row_keeps_no_file(teacher):
    export = export_request(user=teacher.user)
    ExportRequest.objects.filter(pk=export.pk).delete()
    export_build(export_id=export.pk)
    assert list(exports_dir().iterdir()) == []
