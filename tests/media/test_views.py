"""Media on the web pages: the composer's upload routes (JSON), publishing with media with
and without script, how posts show their attachments, the edit page, and the profile's
Media tab with its privacy."""

from __future__ import annotations

import io
import json
import re
import wave
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from staffroom.accounts.selectors import site_configuration
from staffroom.graph.services import follow_create
from staffroom.media.errors import processing_message
from staffroom.media.models import MediaAttachment, MediaState, MediaType
from staffroom.media.processing.types import RejectionCode
from staffroom.posts.models import Status
from staffroom.posts.services import PostText, status_create
from staffroom.profiles.models import Profile
from staffroom.profiles.professional import onboarding_complete
from tests.media.conftest import png_bytes, stored_files, upload

pytestmark = pytest.mark.django_db

_FILES = {
    MediaType.IMAGE: ("attachments/2026/01/{n}.png", "previews/2026/01/{n}.jpg"),
    MediaType.AUDIO: ("attachments/2026/01/{n}.m4a", ""),
    MediaType.VIDEO: ("attachments/2026/01/{n}.mp4", "previews/2026/01/{n}v.jpg"),
    MediaType.DOCUMENT: ("documents/2026/01/{n}/Fractions.pdf", "previews/2026/01/{n}d.png"),
}


@pytest.fixture(autouse=True)
def _media_in_a_throwaway_folder(media_root: Path) -> Path:
    return media_root


@pytest.fixture
def as_ada(client_for, ada):
    return client_for(ada.user)


def ready_media(owner: Profile, kind: str = MediaType.IMAGE, **fields) -> MediaAttachment:
    """An attachment as processing leaves it (files named, not written: pages only link them)."""
    number = MediaAttachment.objects.count() + 1
    file, preview = (name.format(n=f"{number:032x}") for name in _FILES[MediaType(kind)])
    defaults: dict[str, object] = {
        "state": MediaState.READY,
        "file": file,
        "preview": preview,
        "meta": {
            "small": {"width": 640, "height": 480},
            "original": {"width": 1280, "height": 960},
        },
        "original_name": {"document": "Fractions.pdf", "audio": "Lesson.m4a"}.get(kind, ""),
    }
    if kind == MediaType.AUDIO:
        defaults["extra"] = {"waveform": [0.1, 0.5, 1.0, 0.25]}
    if kind == MediaType.DOCUMENT:
        defaults["extra"] = {"format": "pdf", "pages": 3}
    return MediaAttachment.objects.create(account=owner, kind=kind, **(defaults | fields))


def media_post(author: Profile, *media: MediaAttachment, text: str = "Look", **options) -> Status:
    draft = PostText(
        text=text,
        spoiler_text=options.pop("spoiler_text", ""),
        sensitive=options.pop("sensitive", False),
    )
    return status_create(
        author=author, draft=draft, media_ids=[item.pk for item in media], **options
    )


def wav_bytes() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x01" * 8000)
    return buffer.getvalue()


def upload_file(name: str, content: bytes) -> SimpleUploadedFile:
    return upload(content, name)


def _compose(client, text: str = "From my classroom", **data):
    fields = {"text": text, "spoiler_text": "", "visibility": "public", "language": ""}
    return client.post("/compose", {**fields, **data})


JSON_KEYS = {"id", "kind", "state", "preview_url", "url", "filename", "error"}


# --- The upload routes ---------------------------------------------------------------------


def test_upload_needs_sign_in(client):
    response = client.post("/media-upload", {"file": upload_file("a.wav", wav_bytes())})
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_upload_is_protected_against_cross_site_requests(ada):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ada.user, backend="staffroom.accounts.backends.EmailOrHandleBackend")
    response = client.post("/media-upload", {"file": upload_file("a.wav", wav_bytes())})
    assert response.status_code == 403
    assert not MediaAttachment.objects.exists()


def test_a_recording_answers_202_while_it_is_processed_and_polls_the_same(as_ada, ada):
    response = as_ada.post("/media-upload", {"file": upload_file("Lesson one.wav", wav_bytes())})
    assert response.status_code == 202
    body = response.json()
    assert set(body) >= JSON_KEYS
    assert body["kind"] == "audio"
    assert body["state"] == "processing"
    assert body["url"] is None
    assert body["filename"] == "Lesson one.wav"
    assert body["error"] is None
    media = MediaAttachment.objects.get(pk=body["id"])
    assert media.account_id == ada.pk

    polled = as_ada.get(f"/media-upload/{body['id']}")
    assert polled.status_code == 202
    assert polled.json() == body


def test_an_image_is_processed_in_the_request_and_answers_201(as_ada):
    response = as_ada.post(
        "/media-upload", {"file": upload_file("board.png", png_bytes()), "description": "A board"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "image"
    assert body["state"] == "ready"
    assert body["url"].startswith("/media/")
    assert body["preview_url"].startswith("/media/")
    assert body["description"] == "A board"


def test_only_the_uploader_can_poll_or_delete_an_upload(client_for, ada, bo):
    media = MediaAttachment.objects.create(account=ada, kind=MediaType.AUDIO, upload="x/y.wav")
    as_bo = client_for(bo.user)
    assert as_bo.get(f"/media-upload/{media.pk}").status_code == 404
    assert as_bo.post(f"/media-upload/{media.pk}/delete").status_code == 404
    assert as_bo.get("/media-upload/not-a-number").status_code == 404
    assert MediaAttachment.objects.filter(pk=media.pk).exists()


def test_polling_a_refused_upload_answers_422_with_the_reason(as_ada, ada):
    media = MediaAttachment.objects.create(
        account=ada,
        kind=MediaType.DOCUMENT,
        state=MediaState.FAILED,
        error_code=RejectionCode.MACROS,
    )
    response = as_ada.get(f"/media-upload/{media.pk}")
    assert response.status_code == 422
    assert response.json()["state"] == "failed"
    assert response.json()["error"] == processing_message(RejectionCode.MACROS)


def test_a_file_we_do_not_take_is_422_with_a_message_and_keeps_nothing(as_ada, media_root):
    response = as_ada.post("/media-upload", {"file": upload_file("notes.txt", b"just text\n")})
    assert response.status_code == 422
    assert "not a kind we can share" in response.json()["error"]
    assert not MediaAttachment.objects.exists()
    assert stored_files(media_root) == []


def test_an_upload_without_a_file_is_422(as_ada):
    response = as_ada.post("/media-upload", {"description": "nothing"})
    assert response.status_code == 422
    assert response.json()["error"] == "Choose a file to upload."


def test_a_file_over_its_kinds_limit_is_413_with_the_limit(as_ada, settings):
    settings.STAFFROOM_MEDIA_MAX_BYTES = {**settings.STAFFROOM_MEDIA_MAX_BYTES, "audio": 1024}
    response = as_ada.post("/media-upload", {"file": upload_file("long.wav", wav_bytes())})
    assert response.status_code == 413
    assert "too large" in response.json()["error"]
    assert not MediaAttachment.objects.exists()


def test_a_full_media_space_is_413(as_ada, ada, settings):
    settings.STAFFROOM_MEDIA_QUOTA_BYTES = 20_000
    ready_media(ada, stored_bytes=19_000)
    response = as_ada.post("/media-upload", {"file": upload_file("a.wav", wav_bytes())})
    assert response.status_code == 413
    assert "media space is full" in response.json()["error"]


def test_too_many_uploads_answer_429_with_retry_after(as_ada, settings):
    settings.STAFFROOM_RATE_LIMITS = {**settings.STAFFROOM_RATE_LIMITS, "media-upload": (1, 60)}
    first = as_ada.post("/media-upload", {"file": upload_file("a.wav", wav_bytes())})
    second = as_ada.post("/media-upload", {"file": upload_file("b.wav", wav_bytes())})
    assert first.status_code == 202
    assert second.status_code == 429
    assert second.json()["error"]
    assert int(second["Retry-After"]) > 0


def test_deleting_an_unattached_upload(as_ada, ada):
    media = ready_media(ada)
    response = as_ada.post(f"/media-upload/{media.pk}/delete")
    assert response.status_code == 200
    assert response.json() == {"id": str(media.pk), "deleted": True}
    assert not MediaAttachment.objects.filter(pk=media.pk).exists()


def test_an_attached_upload_is_not_deleted_here(as_ada, ada):
    media = ready_media(ada)
    media_post(ada, media)
    response = as_ada.post(f"/media-upload/{media.pk}/delete")
    assert response.status_code == 409
    assert "edit the post" in response.json()["error"]


# --- Publishing with media -------------------------------------------------------------------


def test_the_composer_offers_media_that_works_without_script(as_ada, ada):
    onboarding_complete(profile=ada)
    body = as_ada.get("/compose").content.decode()
    assert 'enctype="multipart/form-data"' in body
    assert re.search(r'<input type="file" name="media_files"[^>]* multiple accept="image/', body)
    assert 'data-upload-url="/media-upload"' in body
    assert "<template data-media-template>" in body
    assert "Describe this image for colleagues who cannot see it." in body
    home = as_ada.get("/home").content.decode()
    assert 'name="media_files"' in home


def test_publish_with_uploads_in_their_order_and_their_alt_text(as_ada, ada):
    first, second = ready_media(ada), ready_media(ada, MediaType.AUDIO)
    response = _compose(
        as_ada,
        media_ids=[str(second.pk), str(first.pk)],
        **{
            f"media_description_{first.pk}": "Fractions on a number line",
            f"media_transcript_{second.pk}": "Today we look at halves.",
        },
    )
    assert response.status_code == 302
    status = Status.objects.get(account=ada)
    assert [m.pk for m in status.media_attachments.order_by("position")] == [second.pk, first.pk]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.description == "Fractions on a number line"
    assert second.transcript == "Today we look at halves."
    page = as_ada.get(response["Location"]).content.decode()
    assert 'alt="Fractions on a number line"' in page
    assert "Today we look at halves." in page


def test_a_post_may_be_only_media(as_ada, ada):
    media = ready_media(ada, description="A seating plan")
    response = _compose(as_ada, text="", media_ids=[str(media.pk)])
    assert response.status_code == 302
    assert Status.objects.get(account=ada).modality == "image"


def test_a_post_without_text_or_media_is_refused(as_ada):
    response = _compose(as_ada, text="  ")
    assert response.status_code == 422
    assert "Write something first" in response.content.decode()


def test_more_than_four_attachments_are_refused(as_ada, ada):
    ids = [str(ready_media(ada).pk) for _ in range(5)]
    response = _compose(as_ada, media_ids=ids)
    assert response.status_code == 422
    assert "at most 4 attachments" in response.content.decode()
    assert not Status.objects.exists()


def test_someone_elses_upload_is_refused(as_ada, bo):
    media = ready_media(bo)
    response = _compose(as_ada, media_ids=[str(media.pk)])
    assert response.status_code == 422
    assert "not one of your uploads" in response.content.decode()
    assert not Status.objects.exists()


def test_a_server_that_requires_alt_text_refuses_and_keeps_the_upload_in_the_form(as_ada, ada):
    config = site_configuration()
    config.require_media_description = True
    config.save()
    media = ready_media(ada)
    response = _compose(as_ada, media_ids=[str(media.pk)])
    assert response.status_code == 422
    page = response.content.decode()
    assert "asks for alt text on every image" in page
    # The upload is still there, in the form, with the nudge beside it.
    assert f'name="media_ids" value="{media.pk}"' in page
    assert f'name="media_description_{media.pk}"' in page
    assert "Add alt text so everyone can use this image." in page
    assert not Status.objects.exists()

    typed = _compose(
        as_ada, media_ids=[str(media.pk)], **{f"media_description_{media.pk}": "A seating plan"}
    )
    assert typed.status_code == 302
    assert Status.objects.get(account=ada).media_attachments.get().description == "A seating plan"


def test_a_reply_can_carry_media(client_for, ada, bo):
    question = media_post(ada, text="What is on your walls?")
    media = ready_media(bo, description="Our word wall")
    response = client_for(bo.user).post(
        f"/@ada/{question.pk}",
        {"text": "This", "visibility": "public", "media_ids": [str(media.pk)]},
    )
    assert response.status_code == 302
    reply = Status.objects.get(account=bo)
    assert reply.in_reply_to_id == question.pk
    assert reply.media_attachments.get().pk == media.pk


def test_without_script_the_files_go_with_the_post(as_ada, ada):
    response = _compose(
        as_ada,
        media_files=[upload_file("board.png", png_bytes())],
        media_description="The board after the lesson",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    media = Status.objects.get(account=ada).media_attachments.get()
    assert media.state == MediaState.READY
    assert media.description == "The board after the lesson"


def test_without_script_a_refused_post_deletes_the_files_it_uploaded(
    as_ada, ada, media_root, run_jobs
):
    config = site_configuration()
    config.require_media_description = True
    config.save()
    response = _compose(as_ada, media_files=[upload_file("board.png", png_bytes())])
    assert response.status_code == 422
    assert "asks for alt text" in response.content.decode()
    assert not MediaAttachment.objects.exists()
    assert not Status.objects.exists()
    run_jobs()  # the files go after commit
    assert stored_files(media_root) == []


def test_without_script_a_refused_file_shows_its_reason_and_posts_nothing(as_ada):
    response = _compose(as_ada, media_files=[upload_file("notes.txt", b"plain text")])
    assert response.status_code == 422
    assert "not a kind we can share" in response.content.decode()
    assert not Status.objects.exists()
    assert not MediaAttachment.objects.exists()


# --- How posts show their media --------------------------------------------------------------


def test_a_post_shows_images_in_a_grid_with_their_alt_text_and_a_link_to_the_full_file(client, ada):
    images = [ready_media(ada, description=f"Photo {n}") for n in range(3)]
    status = media_post(ada, *images)
    page = client.get(f"/@ada/{status.pk}").content.decode()
    assert 'class="media-grid media-count-3"' in page
    for media in images:
        assert f'href="/media/{media.file}"' in page
        assert f'src="/media/{media.preview}"' in page
    assert 'alt="Photo 0"' in page
    assert 'width="640" height="480"' in page
    assert "data-lightbox-dialog" in page


def test_an_undescribed_image_still_says_what_it_is(client, ada):
    status = media_post(ada, ready_media(ada))
    page = client.get(f"/@ada/{status.pk}").content.decode()
    assert 'alt="Image without a description"' in page


def test_audio_video_and_documents_on_a_post(client, ada):
    audio = ready_media(ada, MediaType.AUDIO, transcript="Good morning, class.")
    video = ready_media(ada, MediaType.VIDEO, description="Group work")
    document = ready_media(ada, MediaType.DOCUMENT)
    status = media_post(ada, audio, video, document)
    page = client.get(f"/@ada/{status.pk}").content.decode()
    assert f'<audio controls preload="none" src="/media/{audio.file}"' in page
    assert '<svg class="waveform"' in page
    assert 'aria-hidden="true"' in page
    assert "<summary>Transcript</summary>" in page
    assert "Good morning, class." in page
    assert f'poster="/media/{video.preview}"' in page
    assert '<video controls preload="none"' in page
    assert "Fractions.pdf" in page
    assert "PDF · 3 pages" in page
    assert f'href="/media/{document.file}" download="Fractions.pdf"' in page


def test_a_sensitive_posts_media_stays_behind_the_warning(client, ada):
    media = ready_media(ada, description="Injury photo")
    status = media_post(ada, media, spoiler_text="First aid training")
    page = client.get(f"/@ada/{status.pk}").content.decode()
    warning = page[page.index('<details class="post-warning">') :]
    warning = warning[: warning.index("</details>")]
    assert 'alt="Injury photo"' in warning


def test_an_attachment_that_is_not_ready_never_shows(client, ada):
    media = ready_media(ada, description="Shown")
    status = media_post(ada, media)
    MediaAttachment.objects.filter(pk=media.pk).update(state=MediaState.PROCESSING)
    page = client.get(f"/@ada/{status.pk}").content.decode()
    assert "media-grid" not in page


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/@ada", "/@ada/media"])
def test_pages_of_media_posts_read_attachments_in_one_query(client, ada, url):
    media_post(ada, ready_media(ada))
    one = _queries(client, url)
    for _ in range(3):
        media_post(ada, ready_media(ada), ready_media(ada, MediaType.AUDIO))
    assert _queries(client, url) == one


# --- Editing a post's media --------------------------------------------------------------------


def test_the_edit_page_changes_alt_text_and_transcripts(as_ada, ada):
    image = ready_media(ada, description="Old words")
    audio = ready_media(ada, MediaType.AUDIO)
    status = media_post(ada, image, audio)
    page = as_ada.get(f"/@ada/{status.pk}/edit").content.decode()
    assert f'name="media_description_{image.pk}"' in page
    assert "Old words" in page
    assert f'name="media_transcript_{audio.pk}"' in page
    assert f'name="media_remove_{image.pk}"' in page
    assert "Add a transcript so everyone can follow this recording." in page

    response = as_ada.post(
        f"/@ada/{status.pk}/edit",
        {
            "text": "Look again",
            "spoiler_text": "",
            "language": "",
            f"media_description_{image.pk}": "A number line from 0 to 1",
            f"media_description_{audio.pk}": "",
            f"media_transcript_{audio.pk}": "Halves and quarters.",
        },
    )
    assert response.status_code == 302
    image.refresh_from_db()
    audio.refresh_from_db()
    assert image.description == "A number line from 0 to 1"
    assert audio.transcript == "Halves and quarters."
    assert status.media_attachments.count() == 2


def test_the_edit_page_removes_an_attachment(as_ada, ada):
    keep, drop = ready_media(ada, description="Keep"), ready_media(ada, description="Drop")
    status = media_post(ada, keep, drop, text="")
    response = as_ada.post(
        f"/@ada/{status.pk}/edit",
        {
            "text": "",
            "spoiler_text": "",
            "language": "",
            f"media_description_{keep.pk}": "Keep",
            f"media_description_{drop.pk}": "Drop",
            f"media_remove_{drop.pk}": "on",
        },
    )
    assert response.status_code == 302
    assert list(status.media_attachments.values_list("pk", flat=True)) == [keep.pk]
    assert not MediaAttachment.objects.filter(pk=drop.pk).exists()


def test_removing_every_attachment_of_a_post_without_text_is_refused(as_ada, ada):
    media = ready_media(ada, description="Only this")
    status = media_post(ada, media, text="")
    response = as_ada.post(
        f"/@ada/{status.pk}/edit",
        {"text": "", "spoiler_text": "", "language": "", f"media_remove_{media.pk}": "on"},
    )
    assert response.status_code == 422
    assert "Write something first" in response.content.decode()
    assert MediaAttachment.objects.filter(pk=media.pk, status=status).exists()


# --- The profile's Media tab ----------------------------------------------------------------------


def test_the_media_tab_shows_a_grid_linking_to_the_posts(client, ada):
    image = ready_media(ada, description="Our class garden")
    document = ready_media(ada, MediaType.DOCUMENT)
    status = media_post(ada, image, document)
    media_post(ada, text="Text only, not on the tab")
    response = client.get("/@ada/media")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<ul class="media-tiles">' in page
    assert f'href="/@ada/{status.pk}"' in page
    assert 'alt="Our class garden"' in page
    assert f'src="/media/{document.preview}"' in page
    assert 'aria-current="page">Media<' in page
    assert "Text only" not in page


def test_the_media_tab_has_an_empty_state(client, ada):
    media_post(ada, text="Words only")
    page = client.get("/@ada/media").content.decode()
    assert "No media yet." in page


def test_the_media_tab_keeps_followers_only_media_from_strangers(client_for, ada, bo, stranger):
    follow_create(actor=bo, target=ada)
    media = ready_media(ada, description="Followers see this")
    media_post(ada, media, visibility="followers")
    assert "Followers see this" in client_for(bo.user).get("/@ada/media").content.decode()
    as_stranger = client_for(stranger.user).get("/@ada/media").content.decode()
    assert "Followers see this" not in as_stranger
    assert "No media yet." in as_stranger
    assert "Followers see this" not in Client().get("/@ada/media").content.decode()


def test_the_media_tab_hides_a_sensitive_posts_preview(client, ada):
    media = ready_media(ada, description="Not for everyone")
    media_post(ada, media, sensitive=True)
    page = client.get("/@ada/media").content.decode()
    assert "Sensitive content" in page
    assert "Not for everyone" not in page


def test_the_profile_page_links_its_media_tab(client, ada):
    page = client.get("/@ada").content.decode()
    assert 'href="/@ada/media"' in page
    assert 'aria-current="page">Posts<' in page


def test_the_upload_json_is_json(as_ada):
    response = as_ada.post("/media-upload", {"file": upload_file("a.wav", wav_bytes())})
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["kind"] == "audio"
