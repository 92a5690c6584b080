"""Video captions: a teacher's WebVTT file, rewritten before it is served, on the post, in
the API, on the edit page, in the export and gone with the video."""

from __future__ import annotations

import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import encode_multipart

from staffroom.leaving.export import archive_build
from staffroom.media.captions import CaptionsRejected, clean_webvtt
from staffroom.media.errors import MediaRefused
from staffroom.media.models import MediaAttachment
from staffroom.media.services import media_captions_clear, media_captions_set, media_upload
from staffroom.posts.services import PostText, status_create, status_delete
from tests.graph.test_api_helpers import bearer, call
from tests.media.conftest import png_bytes, stored_files, upload
from tests.media.test_processing_av import write_video

VTT = (
    b"WEBVTT - lesson\n\nSTYLE\n::cue { color: red }\n\nNOTE made by hand\n\n"
    b"intro\n00:00.500 --> 00:01.500 align:start line:0\n"
    b"<v Teacher><b>Quarters</b> &amp; halves</v><script>alert(1)</script>\n\n"
    b"00:00:02.000 --> 00:00:01.000\nbackwards, dropped\n\n"
    b"00:01.500 --> 00:02.000\n1 < 2\n"
)


def test_clean_webvtt_keeps_only_timings_and_plain_text():
    cleaned = clean_webvtt(VTT)
    assert cleaned == (
        "WEBVTT\n\n00:00:00.500 --> 00:00:01.500\nQuarters &amp; halvesalert(1)\n\n"
        "00:00:01.500 --> 00:00:02.000\n1 &lt; 2\n"
    )


@pytest.mark.parametrize(
    "data",
    [b"1\n00:00.000 --> 00:01.000\nno header\n", b"WEBVTT\n\nno cues at all\n", b"\xff\xfe"],
    ids=["no-header", "no-cues", "not-utf8"],
)
def test_clean_webvtt_refuses_what_is_not_captions(data):
    with pytest.raises(CaptionsRejected):
        clean_webvtt(data)


@pytest.fixture
def video(ada, media_root, tmp_path, run_jobs):
    path = write_video(tmp_path / "lesson.mp4")
    media = media_upload(owner=ada, upload=upload(path.read_bytes(), "lesson.mp4"))
    run_jobs()
    media.refresh_from_db()
    return media


def _vtt(content: bytes = VTT) -> SimpleUploadedFile:
    return SimpleUploadedFile("captions.vtt", content)


@pytest.mark.django_db
def test_captions_are_stored_rewritten_replaced_and_cleared(ada, video, media_root, run_jobs):
    media = media_captions_set(owner=ada, media=video, upload=_vtt(), language="en")
    first = media.captions
    assert first.endswith(".vtt")
    assert (media_root / first).read_text() == clean_webvtt(VTT)
    replaced = media_captions_set(owner=ada, media=media, upload=_vtt(), language="fr")
    run_jobs()
    assert replaced.captions_language == "fr"
    assert first not in stored_files(media_root)
    cleared = media_captions_clear(owner=ada, media=replaced)
    run_jobs()
    assert cleared.captions == ""
    assert not any(name.endswith(".vtt") for name in stored_files(media_root))


@pytest.mark.django_db
def test_captions_only_for_the_owners_ready_video(ada, bo, video, media_root):
    with pytest.raises(Exception, match="Record not found"):
        media_captions_set(owner=bo, media=video, upload=_vtt())
    image = media_upload(owner=ada, upload=upload(png_bytes(), "a.png"))
    with pytest.raises(MediaRefused, match="video"):
        media_captions_set(owner=ada, media=image, upload=_vtt())
    with pytest.raises(MediaRefused, match="WebVTT"):
        media_captions_set(owner=ada, media=video, upload=_vtt(b"<html>no</html>"))
    with pytest.raises(Exception, match="Language"):
        media_captions_set(owner=ada, media=video, upload=_vtt(), language="english!")
    assert not any(name.endswith(".vtt") for name in stored_files(media_root))


@pytest.mark.django_db
def test_the_api_sets_captions_and_posts_carry_them(client, ada, bo, video, media_root):
    body = encode_multipart("B", {"file": _vtt(), "language": "en"})
    response = client.post(
        f"/api/v1/pln/media/{video.pk}/captions",
        data=body,
        content_type="multipart/form-data; boundary=B",
        **bearer(ada),
    )
    assert response.status_code == 200, response.content
    assert response.json()["pln"]["captions_url"].endswith(".vtt")
    theirs = client.post(
        f"/api/v1/pln/media/{video.pk}/captions",
        data=encode_multipart("B", {"file": _vtt()}),
        content_type="multipart/form-data; boundary=B",
        **bearer(bo),
    )
    assert theirs.status_code == 404
    status = call(
        client, "POST", "/api/v1/statuses", bearer(ada), {"status": "x", "media_ids": [video.pk]}
    ).json()
    seen = call(client, "GET", f"/api/v1/statuses/{status['id']}", bearer(bo)).json()
    pln = seen["media_attachments"][0]["pln"]
    assert pln["captions_language"] == "en"
    served = client.get(pln["captions_url"].split("localhost:8000")[-1])
    assert served.status_code == 200
    assert served["Content-Type"].startswith("text/vtt")
    assert served["X-Content-Type-Options"] == "nosniff"
    page = client.get(f"/@ada/{status['id']}")
    assert b'<track kind="captions"' in page.content


@pytest.mark.django_db
def test_the_edit_page_adds_captions_and_the_export_and_deletion_follow(
    client, ada, video, media_root, run_jobs, tmp_path
):
    status = status_create(author=ada, draft=PostText(text="Lesson"), media_ids=[video.pk])
    assert ada.user is not None
    client.force_login(ada.user)
    edit = f"/@ada/{status.pk}/edit"
    assert b"Captions file (WebVTT, .vtt)" in client.get(edit).content
    response = client.post(
        f"/media-upload/{video.pk}/captions", {"file": _vtt(), "language": "en", "next": edit}
    )
    assert response.status_code == 302
    assert response["Location"] == edit
    video.refresh_from_db()
    assert video.captions
    offsite = client.post(
        f"/media-upload/{video.pk}/captions",
        {"file": _vtt(b"nope"), "next": "https://evil.example/"},
    )
    assert offsite["Location"] == "/"
    target = tmp_path / "export.zip"
    archive_build(ada.user, target)
    with zipfile.ZipFile(target) as archive:
        index = json.loads(archive.read("media_attachments.json"))["media_attachments"]
        assert archive.read(index[0]["captions"]).decode() == clean_webvtt(VTT)
    status_delete(actor=ada, status=status)
    run_jobs()
    assert MediaAttachment.objects.count() == 0
    assert stored_files(media_root) == []
