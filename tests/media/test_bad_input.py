"""Every bad upload the media capability names, through the API as a client sends it: a
clear 4xx (413 for size, 422 for type and content), nothing kept in storage, never a 500.
Files the request cannot judge (documents, video) are refused by the job, which keeps
only the row saying why; `GET /api/v1/media/:id` then answers 422 with that reason."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.test.client import encode_multipart

from staffroom.media.models import MediaAttachment, MediaState
from tests.graph.test_api_helpers import bearer, call
from tests.media.conftest import png_bytes, stored_files, upload
from tests.media.test_processing_av import CONTAINER_TAGS, write_video
from tests.media.test_processing_documents import docx_parts, write_zip
from tests.media.test_processing_images import png_claiming

pytestmark = pytest.mark.django_db

BOUNDARY = "BoUnDaRy"


def _post(client, owner, content: bytes, name: str):
    body = encode_multipart(BOUNDARY, {"file": upload(content, name)})
    return client.post(
        "/api/v2/media",
        data=body,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        **bearer(owner),
    )


def _zip_named_pdf(tmp_path: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("lesson.txt", "not a document")
    return buffer.getvalue()


def _macro_docx(tmp_path: Path) -> bytes:
    parts = docx_parts(
        parts={"word/vbaProject.bin": ("application/vnd.ms-office.vbaProject", b"x")}
    )
    return write_zip(tmp_path / "macro.docx", parts).read_bytes()


REFUSED_AT_ONCE = {
    "30000x30000-png": (lambda tmp: png_claiming(tmp, 30000, 30000).read_bytes(), "huge.png"),
    "html-named-png": (lambda tmp: b"<!doctype html><script>alert(1)</script>", "cat.png"),
    "svg-with-script": (
        lambda tmp: b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "logo.svg",
    ),
    "truncated-png": (lambda tmp: png_bytes((400, 300))[:200], "cut.png"),
}


@pytest.mark.parametrize("case", list(REFUSED_AT_ONCE))
def test_bad_images_are_a_clear_422_and_keep_nothing(client, ada, media_root, tmp_path, case):
    """SECURITY-PLAN U-1, U-2."""
    make, name = REFUSED_AT_ONCE[case]
    response = _post(client, ada, make(tmp_path), name)
    assert response.status_code == 422, response.content
    assert response.json()["error"]
    assert MediaAttachment.objects.count() == 0
    assert stored_files(media_root) == []


REFUSED_BY_THE_JOB = {
    "zip-named-pdf": (_zip_named_pdf, "worksheet.pdf", "media_not_supported"),
    "docx-with-macro": (_macro_docx, "plan.docx", "document_macros"),
    "truncated-pdf": (lambda tmp: b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "cut.pdf", None),
}


@pytest.mark.parametrize("case", list(REFUSED_BY_THE_JOB))
def test_bad_documents_are_refused_by_the_job_with_their_reason(
    client, ada, media_root, tmp_path, run_jobs, case
):
    make, name, code = REFUSED_BY_THE_JOB[case]
    response = _post(client, ada, make(tmp_path), name)
    assert response.status_code == 202, response.content
    run_jobs()
    media = MediaAttachment.objects.get(pk=response.json()["id"])
    assert media.state == MediaState.FAILED
    if code:
        assert media.error_code == code
    detail = call(client, "GET", f"/api/v1/media/{media.pk}", bearer(ada))
    assert detail.status_code == 422
    assert detail.json()["error"]
    assert stored_files(media_root) == []


def test_a_video_with_a_location_is_kept_without_it(client, ada, media_root, tmp_path, run_jobs):
    video = write_video(tmp_path / "phone.mp4", tags=CONTAINER_TAGS)
    response = _post(client, ada, video.read_bytes(), "phone.mp4")
    assert response.status_code == 202
    run_jobs()
    media = MediaAttachment.objects.get(pk=response.json()["id"])
    assert media.state == MediaState.READY
    served = (media_root / media.file).read_bytes()
    for value in CONTAINER_TAGS.values():
        assert value.encode() not in served


def test_sizes_over_the_limit_or_the_quota_are_413(client, ada, media_root, settings):
    """SECURITY-PLAN U-4."""
    settings.STAFFROOM_MEDIA_MAX_BYTES = {**settings.STAFFROOM_MEDIA_MAX_BYTES, "image": 100}
    assert _post(client, ada, png_bytes(), "a.png").status_code == 413
    settings.STAFFROOM_MEDIA_MAX_BYTES = {**settings.STAFFROOM_MEDIA_MAX_BYTES, "image": 10**7}
    settings.STAFFROOM_MEDIA_QUOTA_BYTES = 10
    response = _post(client, ada, png_bytes(), "a.png")
    assert response.status_code == 413
    assert "media space is full" in response.json()["error"]
    assert stored_files(media_root) == []


def test_someone_elses_or_an_already_used_media_id_is_a_422(client, ada, bo, media_root):
    mine = _post(client, ada, png_bytes(), "a.png").json()["id"]
    theirs = _post(client, bo, png_bytes(), "b.png").json()["id"]
    first = call(client, "POST", "/api/v1/statuses", bearer(ada), {"media_ids": [mine]})
    assert first.status_code == 200
    for media_id, words in ((theirs, "not one of your uploads"), (mine, "another post")):
        again = call(client, "POST", "/api/v1/statuses", bearer(ada), {"media_ids": [media_id]})
        assert again.status_code == 422
        assert words in again.json()["error"]
