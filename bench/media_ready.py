"""Upload to ready through the services, on a real (SQLite) database and file storage.

`media_upload(process_now=True)` is what `POST /api/v1/media` runs for an upload it
processes in the request (and what the job runs for `/api/v2/media`, minus the sniff and
the storing of the upload): sniff the bytes, check the quota, store the upload, write the
row, copy the upload to a private folder, prove and rewrite it in the sandboxed child, store
the file and preview and mark the row ready. Timed end to end; the file arrives as Django
hands a large upload to a view (an open file on disk, `TemporaryUploadedFile`'s shape).
Between runs the row and every stored file are removed, untimed, so the quota and the
storage folder start each run the same.
"""

from __future__ import annotations

import mimetypes
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

UPLOADER = "viewer_media"
Log = Callable[[str], None]


def upload_once(path: Path) -> float:
    """Seconds from `media_upload` called to the row ready; raises if it is not ready."""
    from django.conf import settings
    from django.core.files.uploadedfile import UploadedFile

    from staffroom.media.models import MediaState
    from staffroom.media.services import media_delete_rows, media_upload
    from staffroom.profiles.models import Profile

    owner = Profile.objects.get(handle=UPLOADER)
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    with path.open("rb") as handle:
        upload = UploadedFile(handle, path.name, content_type, path.stat().st_size)
        started = time.perf_counter()
        media = media_upload(
            owner=owner, upload=upload, description="Benchmark upload", process_now=True
        )
        seconds = time.perf_counter() - started
    if media.state != MediaState.READY:
        raise RuntimeError(f"{path.name}: {media.state} {media.error_code}")
    media_delete_rows([media])
    shutil.rmtree(Path(settings.MEDIA_ROOT), ignore_errors=True)
    return seconds


def measure_ready(inputs: dict[str, Path], runs: int, log: Log) -> dict[str, Any]:
    """Each input `runs` times, the kinds interleaved; seconds of every run by kind."""
    times: dict[str, list[float]] = {kind: [] for kind in inputs}
    for _ in range(runs):
        for kind, path in inputs.items():
            times[kind].append(upload_once(path))
    log("  upload to ready: " + ", ".join(f"{k} {min(v):.2f}s" for k, v in times.items()))
    return times
