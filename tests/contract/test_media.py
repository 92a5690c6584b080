"""Media against a real `staffroom serve`, driven by stock Mastodon.py 2.3.3: a teacher posts
an image with alt text, an audio reflection, a short video and a worksheet PDF
(`media_post`, then `status_post(media_ids=...)`); a colleague reads the post and downloads
each file, which carries no location, author or tags. Audio, video and the PDF are
processed by the server's worker (202, then polled by Mastodon.py's `synchronous=True`)
(SECURITY-PLAN I-4).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path

import av
import pytest
import requests
from mastodon import Mastodon, MastodonAPIError, MastodonNotFoundError
from PIL import Image
from pypdf import PdfReader, PdfWriter

from tests.contract.conftest import ContractServer, RegisteredApp, signed_in_client
from tests.media.test_processing_av import write_audio, write_video
from tests.media.test_processing_images import gps_exif

pytestmark = pytest.mark.contract

SECRET = "Ms Secret"
TAGS = {"artist": SECRET, "title": SECRET, "location": "+48.8584+002.2945/"}


@pytest.fixture(scope="module")
def poster(contract_server: ContractServer, contract_app: RegisteredApp) -> Mastodon:
    return signed_in_client(contract_server, contract_app, "hamid")


@pytest.fixture(scope="module")
def reader(contract_server: ContractServer, contract_app: RegisteredApp) -> Mastodon:
    return signed_in_client(contract_server, contract_app, "heidi")


@pytest.fixture
def made(poster: Mastodon) -> Iterator[list[str]]:
    created: list[str] = []
    yield created
    for status_id in created:
        with contextlib.suppress(MastodonNotFoundError):
            poster.status_delete(status_id)


def _jpeg_with_gps() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (30, 120, 200)).save(buffer, "JPEG", exif=gps_exif())
    return buffer.getvalue()


def _pdf_with_author() -> bytes:
    image = io.BytesIO()
    Image.new("RGB", (300, 400), (255, 255, 255)).save(image, "PDF")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(image.getvalue())))
    writer.add_metadata({"/Author": SECRET, "/Creator": SECRET})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _download(url: str) -> bytes:
    session = requests.Session()
    session.trust_env = False  # 127.0.0.1 only, whatever the shell's proxy says
    response = session.get(url, timeout=30)
    response.raise_for_status()
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    return response.content


def test_media_post_then_status_post_with_every_kind(
    poster: Mastodon, reader: Mastodon, made: list[str], tmp_path: Path
):
    audio = write_audio(tmp_path / "reflection.m4a", muxer="ipod", codec="aac", tags=TAGS)
    video = write_video(tmp_path / "lesson.mp4", tags=TAGS)
    image = poster.media_post(
        _jpeg_with_gps(), mime_type="image/jpeg", description="Anchor chart", focus=(0.2, -0.4)
    )
    assert image.type == "image"
    assert image.url is not None  # images are ready at once
    uploads = [
        poster.media_post(
            audio.read_bytes(), mime_type="audio/mp4", description="My reflection, spoken",
            synchronous=True,
        ),
        poster.media_post(
            video.read_bytes(), mime_type="video/mp4", description="Number line", synchronous=True
        ),
        poster.media_post(
            _pdf_with_author(), mime_type="application/pdf", file_name="worksheet.pdf",
            synchronous=True,
        ),
    ]  # fmt: skip
    status = poster.status_post(
        "Four ways into fractions", media_ids=[image, *uploads], visibility="public"
    )
    made.append(status.id)

    seen = reader.status(status.id)
    kinds = [media.type for media in seen.media_attachments]
    assert kinds == ["image", "audio", "video", "unknown"]
    assert seen.media_attachments[0].description == "Anchor chart"
    assert seen.media_attachments[0].meta.focus.x == pytest.approx(0.2)
    assert seen.media_attachments[2].meta.original.duration == pytest.approx(2.0, abs=0.2)
    assert seen.pln.modality == "video"

    downloads = [_download(media.url) for media in seen.media_attachments]
    for content in downloads:
        assert SECRET.encode() not in content
    with Image.open(io.BytesIO(downloads[0])) as served:
        assert not served.getexif().get_ifd(0x8825)  # no GPS
    for content, suffix in ((downloads[1], ".m4a"), (downloads[2], ".mp4")):
        path = tmp_path / f"served{suffix}"
        path.write_bytes(content)
        with av.open(str(path)) as opened:
            assert not set(TAGS) & set(opened.metadata)
    assert not PdfReader(io.BytesIO(downloads[3])).metadata


def test_bad_media_is_a_clear_error_in_mastodon_py(poster: Mastodon):
    with pytest.raises(MastodonAPIError) as refused:
        poster.media_post(b"<html><script>alert(1)</script></html>", mime_type="image/png")
    assert "not a kind we can share" in str(refused.value)
    with pytest.raises(MastodonAPIError):
        poster.status_post("Not mine", media_ids=["123456789"])
