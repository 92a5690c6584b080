"""Media services: upload, processing as a job, attaching to posts, deleting, quotas."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from staffroom.accounts.selectors import site_configuration
from staffroom.core.exceptions import ValidationFailed
from staffroom.core.pln import Modality
from staffroom.leaving.deletion import account_delete_request
from staffroom.leaving.export import archive_build
from staffroom.media.entities import attachment_entities_by_status, media_attachment_entity
from staffroom.media.errors import MediaRefused
from staffroom.media.models import MediaAttachment, MediaState, MediaType
from staffroom.media.services import (
    MediaDescription,
    attachments_for_post,
    media_orphans_sweep,
    media_update,
    media_upload,
)
from staffroom.posts.entities import status_entities
from staffroom.posts.models import Status
from staffroom.posts.selectors import visible_statuses
from staffroom.posts.services import PostText, status_create, status_delete, status_edit
from tests.media.conftest import pdf_bytes, png_bytes, stored_files, upload

pytestmark = pytest.mark.django_db


def _image(owner, **kwargs):
    return media_upload(owner=owner, upload=upload(png_bytes(), "chart.png"), **kwargs)


def _post(author, media, text="Look"):
    return status_create(author=author, draft=PostText(text=text), media_ids=[m.pk for m in media])


def test_an_image_is_processed_at_once_and_only_served_files_stay(ada, media_root, run_jobs):
    media = _image(ada, description="A red chart", focus="0.5,-0.25")
    assert media.state == MediaState.READY
    assert media.kind == MediaType.IMAGE
    assert media.file.startswith("attachments/")
    assert media.file.endswith(".png")
    assert media.preview.startswith("previews/")
    assert media.preview.endswith(".jpg")
    assert media.meta["original"]["width"] == 64
    assert media.blurhash
    assert (media.focus_x, media.focus_y) == (0.5, -0.25)
    run_jobs()  # deletes the upload as it came
    assert stored_files(media_root) == sorted([media.file, media.preview])
    assert not any(name.startswith("incoming/") for name in stored_files(media_root))
    assert media.stored_bytes == sum(
        (media_root / name).stat().st_size for name in (media.file, media.preview)
    )


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"<html><script>alert(1)</script></html>", "photo.png", "media_not_supported"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>', "a.svg", None),
        (b"", "empty.png", "media_empty"),
        (png_bytes()[:60], "truncated.png", "media_damaged"),
    ],
    ids=["html-named-png", "svg-with-script", "empty", "truncated-png"],
)
def test_a_refused_upload_keeps_no_row_and_no_file(ada, media_root, content, name, code):
    """SECURITY-PLAN U-4."""
    with pytest.raises(MediaRefused) as refused:
        media_upload(owner=ada, upload=upload(content, name))
    assert refused.value.status_code == 422
    if code:
        assert refused.value.code == code
    assert MediaAttachment.objects.count() == 0
    assert stored_files(media_root) == []


def test_an_upload_over_its_kinds_limit_is_413_before_anything_is_stored(ada, media_root, settings):
    settings.STAFFROOM_MEDIA_MAX_BYTES = {**settings.STAFFROOM_MEDIA_MAX_BYTES, "image": 100}
    with pytest.raises(MediaRefused) as refused:
        _image(ada)
    assert (refused.value.status_code, refused.value.code) == (413, "file_too_large")
    assert stored_files(media_root) == []


def test_a_full_quota_is_413_and_counts_what_is_stored(ada, bo, media_root, settings):
    """SECURITY-PLAN U-4."""
    first = _image(ada)
    settings.STAFFROOM_MEDIA_QUOTA_BYTES = first.stored_bytes + 10
    with pytest.raises(MediaRefused) as refused:
        _image(ada)
    assert (refused.value.status_code, refused.value.code) == (413, "quota_exceeded")
    assert MediaAttachment.objects.filter(account=ada).count() == 1
    _image(bo)  # another teacher's quota is their own


def test_a_document_is_processed_by_a_job(ada, media_root, run_jobs):
    media = media_upload(owner=ada, upload=upload(pdf_bytes(pages=2), "Fractions: sheet.pdf"))
    assert media.state == MediaState.PROCESSING
    assert media.file == ""
    run_jobs()
    media.refresh_from_db()
    assert media.state == MediaState.READY
    assert media.kind == MediaType.DOCUMENT
    assert media.file.startswith("documents/")
    assert media.file.endswith("/Fractions-sheet.pdf")
    assert media.extra["pages"] == 2
    assert media.preview
    assert media.original_name == "Fractions: sheet.pdf"
    assert stored_files(media_root) == sorted([media.file, media.preview])


def test_a_file_refused_by_the_job_keeps_only_the_reason(ada, media_root, run_jobs):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as package:
        package.writestr("notes.txt", "not a document")
    media = media_upload(owner=ada, upload=upload(archive.getvalue(), "worksheet.pdf"))
    run_jobs()
    media.refresh_from_db()
    assert media.state == MediaState.FAILED
    assert media.error_code == "media_not_supported"
    assert media.stored_bytes == 0
    assert stored_files(media_root) == []
    with pytest.raises(ValidationFailed, match="not a kind we can share"):
        _post(ada, [media])


def test_attaching_checks_owner_count_reuse_and_readiness(ada, bo, media_root):
    mine = [_image(ada) for _ in range(5)]
    theirs = _image(bo)
    with pytest.raises(ValidationFailed, match="not one of your uploads"):
        attachments_for_post(owner=ada, ids=[theirs.pk])
    with pytest.raises(ValidationFailed, match="at most 4"):
        attachments_for_post(owner=ada, ids=[m.pk for m in mine])
    with pytest.raises(ValidationFailed, match="not a media attachment id"):
        attachments_for_post(owner=ada, ids=["12abc"])
    _post(ada, mine[:1])
    with pytest.raises(ValidationFailed, match="already part of another post"):
        attachments_for_post(owner=ada, ids=[mine[0].pk])
    processing = media_upload(owner=ada, upload=upload(pdf_bytes(), "sheet.pdf"))
    with pytest.raises(ValidationFailed, match="not finished processing"):
        attachments_for_post(owner=ada, ids=[processing.pk])


def test_a_post_takes_its_media_in_order_and_its_modality(ada, media_root, run_jobs):
    images = [_image(ada), _image(ada)]
    document = media_upload(owner=ada, upload=upload(pdf_bytes(), "sheet.pdf"))
    run_jobs()
    status = status_create(
        author=ada, draft=PostText(text=""), media_ids=[images[1].pk, document.pk, images[0].pk]
    )
    rows = list(status.media_attachments.order_by("position"))
    assert [row.pk for row in rows] == [images[1].pk, document.pk, images[0].pk]
    assert status.modality == Modality.IMAGE  # an image outranks a document
    assert status.text == ""


def test_a_post_that_fails_attaches_nothing(ada, media_root):
    media = _image(ada)
    with pytest.raises(ValidationFailed):
        status_create(author=ada, draft=PostText(text="x"), media_ids=[media.pk], visibility="x")
    media.refresh_from_db()
    assert media.status_id is None
    assert Status.objects.count() == 0


def test_deleting_a_post_deletes_its_media_and_files(ada, media_root, run_jobs):
    status = _post(ada, [_image(ada)])
    run_jobs()
    assert stored_files(media_root)
    status_delete(actor=ada, status=status)
    run_jobs()
    assert MediaAttachment.objects.count() == 0
    assert stored_files(media_root) == []


def test_an_edit_replaces_reorders_and_describes(ada, media_root, run_jobs):
    first, second, third = _image(ada), _image(ada), _image(ada)
    status = _post(ada, [first, second])
    run_jobs()
    edited = status_edit(
        editor=ada, status=status, draft=PostText(text="Better"), media_ids=[third.pk, first.pk]
    )
    run_jobs()
    assert [m.pk for m in edited.media_attachments.order_by("position")] == [third.pk, first.pk]
    assert not MediaAttachment.objects.filter(pk=second.pk).exists()
    assert second.file not in stored_files(media_root)
    status_edit(editor=ada, status=status, draft=PostText(text="Same media"))
    assert status.media_attachments.count() == 2  # no media_ids: kept as they were


def test_the_server_may_require_alt_text_and_transcripts(ada, media_root):
    config = site_configuration()
    config.require_media_description = True
    config.save()
    bare = _image(ada)
    with pytest.raises(ValidationFailed, match="alt text"):
        _post(ada, [bare])
    media_update(owner=ada, media=bare, description="Exit ticket chart")
    assert _post(ada, [bare]).media_attachments.count() == 1


def test_only_the_owner_may_describe(ada, bo, media_root):
    media = _image(ada)
    with pytest.raises(Exception, match="Record not found"):
        media_update(owner=bo, media=media, description="mine now")
    with pytest.raises(ValidationFailed, match="Description is too long"):
        media_update(owner=ada, media=media, description="x" * 1501)
    with pytest.raises(ValidationFailed, match="focus"):
        media_update(owner=ada, media=media, focus="2,0")


def test_the_sweep_deletes_old_unattached_uploads_and_keeps_the_rest(ada, media_root, run_jobs):
    old, recent, used = _image(ada), _image(ada), _image(ada)
    _post(ada, [used])
    MediaAttachment.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(hours=25)
    )
    assert media_orphans_sweep() == 1
    run_jobs()
    assert set(MediaAttachment.objects.values_list("pk", flat=True)) == {recent.pk, used.pk}
    assert old.file not in stored_files(media_root)


def test_leaving_deletes_every_upload_and_file(ada, media_root, run_jobs):
    _post(ada, [_image(ada)])
    _image(ada)
    assert ada.user is not None
    ada.user.set_password("pw-long-enough-1")
    ada.user.save()
    account_delete_request(user=ada.user, password="pw-long-enough-1")
    run_jobs()
    assert MediaAttachment.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_page_of_posts_reads_all_their_media_in_one_query(ada, media_root):
    def page_queries(count: int) -> int:
        for _ in range(count):
            _post(ada, [_image(ada), _image(ada)])
        page = list(visible_statuses(ada).order_by("-id")[:count])
        with CaptureQueriesContext(connection) as queries:
            entities = status_entities(page, ada, None)
        assert all(len(entity["media_attachments"]) == 2 for entity in entities)
        return len(queries)

    assert page_queries(2) == page_queries(5)


def test_the_export_carries_each_posted_file_and_where_it_belongs(ada, media_root, tmp_path):
    media = _image(ada, description="Exit tickets")
    status = _post(ada, [media])
    _image(ada)  # never attached: left out
    assert ada.user is not None
    target = tmp_path / "export.zip"
    archive_build(ada.user, target)
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        index = json.loads(archive.read("media_attachments.json"))["media_attachments"]
        path = f"media/attachments/{media.pk}.png"
        assert path in names
        assert archive.read(path) == (media_root / media.file).read_bytes()
    assert [(e["id"], e["status_uri"], e["description"]) for e in index] == [
        (str(media.pk), status.uri, "Exit tickets")
    ]


def test_an_edit_may_describe_what_it_adds_but_not_clear_required_alt_text(ada, media_root):
    config = site_configuration()
    config.require_media_description = True
    config.save()
    described = _image(ada, description="Seating plan")
    status = _post(ada, [described])
    bare = _image(ada)
    edited = status_edit(
        editor=ada,
        status=status,
        draft=PostText(text="Two plans"),
        media_ids=[described.pk, bare.pk],
        media_changes=[MediaDescription(media_id=bare.pk, description="Second plan")],
    )
    assert edited.media_attachments.count() == 2
    with pytest.raises(ValidationFailed, match="alt text"):
        status_edit(
            editor=ada,
            status=status,
            draft=PostText(text="Cleared"),
            media_changes=[MediaDescription(media_id=bare.pk, description="")],
        )
    bare.refresh_from_db()
    assert bare.description == "Second plan"  # the refused edit changed nothing


def test_a_page_builds_the_same_entity_as_a_single_attachment(ada, media_root, run_jobs):
    image = _image(ada, description="Chart", focus="0.5,0.5")
    document = media_upload(owner=ada, upload=upload(pdf_bytes(), "Plan.pdf"))
    run_jobs()
    status = _post(ada, [image, document])
    page = attachment_entities_by_status([status.pk])[status.pk]
    single = [
        media_attachment_entity(MediaAttachment.objects.get(pk=m.pk)) for m in (image, document)
    ]
    assert page == single
    assert page[0]["meta"]["focus"] == {"x": 0.5, "y": 0.5}
    assert page[1]["pln"]["format"] == "pdf"
