"""The whole media flow on S3-compatible storage (moto's server on 127.0.0.1): the upload
as it came goes to a private key, the job reads it back from the bucket, the files to
serve land there with their headers, and deleting the post empties the bucket."""

from __future__ import annotations

import pytest

from staffroom.media.entities import media_attachment_entity
from staffroom.media.models import MediaState
from staffroom.media.services import media_upload
from staffroom.posts.services import PostText, status_create, status_delete
from tests.core.test_media_serving import s3, s3_endpoint  # noqa: F401  (fixtures)
from tests.media.conftest import pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db

BUCKET = "staffroom-media"


def _keys(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_upload_process_serve_and_delete_through_the_bucket(s3, ada, run_jobs):  # noqa: F811
    image = media_upload(owner=ada, upload=upload(png_bytes(), "chart.png"))
    document = media_upload(owner=ada, upload=upload(pdf_bytes(2), "Plan.pdf"))
    incoming = [key for key in _keys(s3) if key.startswith("incoming/")]
    assert len(incoming) == 2  # image's upload (deleted after commit) and the PDF's
    run_jobs()
    document.refresh_from_db()
    assert document.state == MediaState.READY
    assert document.extra["pages"] == 2
    assert not [key for key in _keys(s3) if key.startswith("incoming/")]
    stored = s3.head_object(Bucket=BUCKET, Key=document.file)
    assert stored["ContentType"] == "application/pdf"
    assert stored["ContentDisposition"].startswith("attachment")
    entity = media_attachment_entity(document)
    assert entity["url"] == f"https://media.example.org/{document.file}"

    status = status_create(
        author=ada, draft=PostText(text="Plan"), media_ids=[image.pk, document.pk]
    )
    assert len(_keys(s3)) == 4  # two files and two previews
    status_delete(actor=ada, status=status)
    run_jobs()
    assert _keys(s3) == []
