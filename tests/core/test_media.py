"""The media view: stored images served with safe headers, nothing else served at all."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from staffroom.core.images import AVATAR, media_url, process_image, store_image

pytestmark = pytest.mark.urls("tests.core.media_urls")


@pytest.fixture
def media_root(settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    settings.MEDIA_URL = "/media/"
    return root


@pytest.fixture
def stored(media_root) -> tuple[str, bytes]:
    buffer = io.BytesIO()
    Image.new("RGB", (50, 50), (200, 10, 10)).save(buffer, "PNG")
    processed = process_image(buffer.getvalue(), AVATAR)
    return store_image(processed, folder="avatars"), processed.content


def assert_safe_headers(response, content_type: str) -> None:
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == (
        "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox"
    )
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["Content-Disposition"] == "inline"


def test_serve_media_serves_a_stored_image_with_safe_headers(client, stored):
    """SECURITY-PLAN U-5."""
    name, content = stored
    response = client.get(media_url(name))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Length"] == str(len(content))
    assert_safe_headers(response, "image/jpeg")


def test_serve_media_answers_head(client, stored):
    name, content = stored
    response = client.head(media_url(name))
    assert response.status_code == 200
    assert response["Content-Length"] == str(len(content))
    assert_safe_headers(response, "image/jpeg")


def test_serve_media_refuses_other_methods(client, stored):
    name, _ = stored
    assert client.post(media_url(name)).status_code == 405


def test_serve_media_takes_the_content_type_from_the_extension(client, media_root):
    # HTML bytes under an image name still go out as an image, with nosniff and a sandbox.
    (media_root / "trick.png").write_bytes(b"<html><script>alert(1)</script></html>")
    response = client.get("/media/trick.png")
    assert response.status_code == 200
    assert_safe_headers(response, "image/png")
    (media_root / "photo.JPEG").write_bytes(b"x")
    assert client.get("/media/photo.JPEG")["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    "url",
    [
        "/media/../secret.jpg",
        "/media/%2e%2e/secret.jpg",
        "/media/%2E%2E%2Fsecret.jpg",
        "/media/avatars/../../secret.jpg",
        "/media/./avatars/../../secret.jpg",
        "/media/..%5csecret.jpg",
        "/media/avatars%5c..%5c..%5csecret.jpg",
    ],
)
def test_serve_media_refuses_traversal(client, media_root, url):
    (media_root.parent / "secret.jpg").write_bytes(b"outside the media folder")
    assert client.get(url).status_code == 404


@pytest.mark.urls("staffroom.config.urls")
@pytest.mark.parametrize("url", ["/media/a%00.jpg", "/media/secret.jpg%00.jpg"])
def test_a_nul_in_a_media_address_is_refused_before_any_file_is_looked_up(client, media_root, url):
    (media_root.parent / "secret.jpg").write_bytes(b"outside the media folder")
    response = client.get(url)
    assert response.status_code == 400  # the input gate (core/input_gate.py)
    assert b"outside the media folder" not in response.content


def test_serve_media_refuses_absolute_paths(client, media_root):
    secret = media_root.parent / "secret.jpg"
    secret.write_bytes(b"outside the media folder")
    assert client.get(f"/media/{secret}").status_code == 404
    assert client.get(f"/media/{str(secret).replace('/', '%2F')}").status_code == 404


def test_serve_media_refuses_a_symlink_out_of_the_media_folder(client, media_root):
    secret = media_root.parent / "secret.jpg"
    secret.write_bytes(b"outside the media folder")
    (media_root / "link.jpg").symlink_to(secret)
    assert client.get("/media/link.jpg").status_code == 404


@pytest.mark.parametrize(
    "name", ["page.html", "image.svg", "actor.json", "notes.txt", "README", ".hidden.jpg"]
)
def test_serve_media_refuses_what_is_not_an_image_name(client, media_root, name):
    (media_root / name).write_bytes(b"<html><script>alert(1)</script></html>")
    assert client.get(f"/media/{name}").status_code == 404


def test_serve_media_answers_404_for_missing_files_and_folders(client, media_root):
    (media_root / "folder.jpg").mkdir()
    assert client.get("/media/avatars/2026/01/missing.jpg").status_code == 404
    assert client.get("/media/folder.jpg").status_code == 404
    assert client.get("/media/").status_code == 404
