"""Serving attachments: every type from its extension, documents as downloads, raw uploads
never, single byte ranges for seeking, and the same headers from S3-compatible storage."""

from __future__ import annotations

import asyncio
import importlib
import io
import sys
import warnings

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import RequestFactory, override_settings

from staffroom.config.settings.base import _s3_media_from_env
from staffroom.core.media import FileSliceResponse, serve_media

pytestmark = pytest.mark.urls("tests.core.media_urls")

CSP = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox"
VIDEO = "attachments/2026/12/0123456789abcdef0123456789abcdef.mp4"
DOCUMENT = "documents/2026/12/abcd/Worksheet.pdf"
WORKSHEET = "attachment; filename=\"Worksheet.pdf\"; filename*=UTF-8''Worksheet.pdf"
CONTENT = bytes(range(256)) * 4  # 1024 bytes, each position recognisable


@pytest.fixture
def media_root(settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    settings.MEDIA_URL = "/media/"
    return root


def put(root, name: str, content: bytes = CONTENT) -> str:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return f"/media/{name}"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


# --- Types and headers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extension", "content_type"),
    [
        ("jpg", "image/jpeg"),
        ("jpeg", "image/jpeg"),
        ("png", "image/png"),
        ("gif", "image/gif"),
        ("webp", "image/webp"),
        ("mp3", "audio/mpeg"),
        ("m4a", "audio/mp4"),
        ("ogg", "audio/ogg"),
        ("flac", "audio/flac"),
        ("wav", "audio/wav"),
        ("mp4", "video/mp4"),
        ("webm", "video/webm"),
    ],
)
def test_media_are_served_inline_with_the_type_of_their_extension(
    client, media_root, extension, content_type
):
    url = put(media_root, f"attachments/2026/12/{'a' * 32}.{extension}")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == "inline"
    assert body(response) == CONTENT


@pytest.mark.parametrize(
    ("extension", "content_type"),
    [
        ("pdf", "application/pdf"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("odt", "application/vnd.oasis.opendocument.text"),
        ("odp", "application/vnd.oasis.opendocument.presentation"),
        ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ],
)
def test_documents_are_downloads_named_after_their_last_part(
    client, media_root, extension, content_type
):
    url = put(media_root, f"documents/2026/12/{'b' * 32}/Unit-3_Fractions.{extension}")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    name = f"Unit-3_Fractions.{extension}"
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
    )


def test_every_answer_carries_the_safe_headers(client, media_root):
    """SECURITY-PLAN U-5."""
    response = client.get(put(media_root, DOCUMENT))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == CSP
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == "1024"
    assert response["Content-Disposition"] == WORKSHEET


@pytest.mark.parametrize(
    "name",
    [
        # Raw uploads are never served, whatever they are called.
        "incoming/2026/12/0123456789abcdef0123456789abcdef.upload",
        "incoming/2026/12/0123456789abcdef0123456789abcdef.mp4",
        "incoming/2026/12/0123456789abcdef0123456789abcdef.jpg",
        "attachments/2026/12/0123456789abcdef0123456789abcdef.upload",
        # Types that could run script or pass for a document of ours.
        "attachments/2026/12/page.html",
        "attachments/2026/12/page.htm",
        "attachments/2026/12/image.svg",
        "attachments/2026/12/actor.json",
        "attachments/2026/12/actor.jsonld",
        "attachments/2026/12/notes.txt",
        "attachments/2026/12/script.js",
        "attachments/2026/12/sheet.xml",
        "attachments/2026/12/old.doc",
        "attachments/2026/12/archive.zip",
    ],
)
def test_raw_uploads_and_other_types_are_not_found(client, media_root, name):
    """SECURITY-PLAN U-5."""
    url = put(media_root, name, b"<html><script>alert(1)</script></html>")
    assert client.get(url).status_code == 404
    assert client.head(url).status_code == 404
    assert client.get(url, headers={"Range": "bytes=0-1"}).status_code == 404


def test_head_sends_the_headers_and_no_body(client, media_root):
    url = put(media_root, VIDEO)
    response = client.head(url)
    assert response.status_code == 200
    assert response["Content-Length"] == "1024"
    assert response["Content-Type"] == "video/mp4"
    assert response["Accept-Ranges"] == "bytes"
    assert body(response) == b""
    ranged = client.head(url, headers={"Range": "bytes=0-99"})
    assert ranged.status_code == 206
    assert ranged["Content-Length"] == "100"
    assert ranged["Content-Range"] == "bytes 0-99/1024"


# --- Byte ranges ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-99", 0, 99),  # the first bytes
        ("bytes=0-0", 0, 0),
        ("bytes=1000-", 1000, 1023),  # an open end
        ("bytes=-100", 924, 1023),  # the last bytes
        ("bytes=-5000", 0, 1023),  # a suffix longer than the file: all of it
        ("bytes=1000-5000", 1000, 1023),  # an end past the file is cut at the file's end
        ("bytes=1023-1023", 1023, 1023),
        ("Bytes=10-19", 10, 19),  # the unit is case-insensitive
    ],
)
def test_a_single_range_is_answered_with_206(client, media_root, header, first, last):
    response = client.get(put(media_root, VIDEO), headers={"Range": header})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/1024"
    assert response["Content-Length"] == str(last - first + 1)
    assert response["Content-Type"] == "video/mp4"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["Content-Security-Policy"] == CSP
    assert body(response) == CONTENT[first : last + 1]


@pytest.mark.parametrize(
    "header", ["bytes=1024-", "bytes=5000-6000", "bytes=1024-1030", "bytes=-0"]
)
def test_a_range_past_the_end_is_answered_with_416(client, media_root, header):
    response = client.get(put(media_root, VIDEO), headers={"Range": header})
    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */1024"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert response.content == b""


def test_any_range_of_an_empty_file_is_unsatisfiable(client, media_root):
    url = put(media_root, VIDEO, b"")
    response = client.get(url, headers={"Range": "bytes=0-"})
    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */0"
    whole = client.get(url)
    assert (whole.status_code, whole["Content-Length"], body(whole)) == (200, "0", b"")


@pytest.mark.parametrize(
    "header",
    [
        "bytes=0-1,5-9",  # several ranges
        "bytes=0-99, -1",
        "bytes=99-0",  # last before first
        "bytes=abc",
        "bytes=-",
        "bytes=",
        "bytes 0-99",
        "bits=0-99",
        "bytes=0-99x",
        "bytes=1-2-3",
        "bytes=" + "9" * 40 + "-",
        "",
    ],
)
def test_several_or_malformed_ranges_get_the_whole_file(client, media_root, header):
    response = client.get(put(media_root, VIDEO), headers={"Range": header})
    assert response.status_code == 200
    assert "Content-Range" not in response
    assert response["Content-Length"] == "1024"
    assert body(response) == CONTENT


def test_a_range_with_if_range_gets_the_whole_file(client, media_root):
    # We send no validator, so an If-Range cannot be checked: the whole file is the safe answer.
    headers = {"Range": "bytes=0-9", "If-Range": '"some-etag"'}
    response = client.get(put(media_root, VIDEO), headers=headers)
    assert response.status_code == 200
    assert body(response) == CONTENT


def test_a_document_range_is_still_a_download(client, media_root):
    response = client.get(put(media_root, DOCUMENT), headers={"Range": "bytes=0-3"})
    assert response.status_code == 206
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == WORKSHEET


# --- Streaming ------------------------------------------------------------------------------


@pytest.mark.django_db  # closing a response sends request_finished, which checks the database
def test_under_asgi_the_file_is_read_a_block_at_a_time(media_root):
    """Django would gather a synchronous iterator into one list under ASGI (with a warning):
    the response streams its own blocks instead, each read in a worker thread."""
    content = bytes(range(256)) * 4096 * 3  # 3 MB
    put(media_root, VIDEO, content)
    request = RequestFactory().get(f"/media/{VIDEO}", headers={"Range": "bytes=100-"})
    response = serve_media(request, VIDEO)
    assert isinstance(response, FileSliceResponse)

    async def blocks() -> list[bytes]:
        return [block async for block in response]

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        received = asyncio.run(blocks())
    response.close()
    assert b"".join(received) == content[100:]
    assert len(received) > 1
    assert max(len(block) for block in received) <= 256 * 1024


@pytest.mark.django_db
@pytest.mark.parametrize("head", [False, True])
def test_the_file_is_closed_with_the_response(head):
    handle = io.BytesIO(CONTENT)
    response = FileSliceResponse(handle, 10, 20, head=head)
    assert response["Content-Length"] == "20"
    assert body(response) == (b"" if head else CONTENT[10:30])
    response.close()
    assert handle.closed


# --- S3-compatible storage ------------------------------------------------------------------


def test_s3_settings_need_a_public_base_url(monkeypatch):
    monkeypatch.delenv("STAFFROOM_MEDIA_BASE_URL", raising=False)
    with pytest.raises(ImproperlyConfigured, match="STAFFROOM_MEDIA_BASE_URL"):
        _s3_media_from_env("media")
    monkeypatch.setenv("STAFFROOM_MEDIA_BASE_URL", "media.example.org")
    with pytest.raises(ImproperlyConfigured):
        _s3_media_from_env("media")


def test_s3_settings_from_the_environment(monkeypatch):
    for name in ("ENDPOINT_URL", "REGION", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY", "ACL"):
        monkeypatch.delenv(f"STAFFROOM_S3_{name}", raising=False)
    monkeypatch.setenv("STAFFROOM_MEDIA_BASE_URL", "https://media.example.org")
    storage, media_url = _s3_media_from_env("staffroom-media")
    assert media_url == "https://media.example.org/"
    assert storage == {
        "BACKEND": "staffroom.core.storage.MediaS3Storage",
        "OPTIONS": {
            "bucket_name": "staffroom-media",
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": "public-read",
            "custom_domain": "media.example.org",
            "url_protocol": "https:",
        },  # no keys, region or endpoint: boto's own chain and AWS itself
    }
    monkeypatch.setenv("STAFFROOM_MEDIA_BASE_URL", "https://s3.example.org/bucket/")
    monkeypatch.setenv("STAFFROOM_S3_ENDPOINT_URL", "https://s3.example.org")
    monkeypatch.setenv("STAFFROOM_S3_REGION", "eu-west-1")
    monkeypatch.setenv("STAFFROOM_S3_ACCESS_KEY_ID", "key")
    monkeypatch.setenv("STAFFROOM_S3_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("STAFFROOM_S3_ACL", "none")
    storage, media_url = _s3_media_from_env("staffroom-media")
    assert media_url == "https://s3.example.org/bucket/"
    options = storage["OPTIONS"]
    assert options["default_acl"] is None
    assert options["custom_domain"] == "s3.example.org/bucket"
    assert (options["endpoint_url"], options["region_name"]) == (
        "https://s3.example.org",
        "eu-west-1",
    )
    assert (options["access_key"], options["secret_key"]) == ("key", "secret")


def test_a_bucket_in_the_environment_switches_storage_and_page_csp(monkeypatch, tmp_path):
    monkeypatch.setenv("STAFFROOM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("STAFFROOM_S3_BUCKET", "staffroom-media")
    monkeypatch.setenv("STAFFROOM_MEDIA_BASE_URL", "https://media.example.org/")
    sys.modules.pop("staffroom.config.settings.base", None)
    try:
        configured = importlib.import_module("staffroom.config.settings.base")
        assert configured.STORAGES["default"]["BACKEND"] == "staffroom.core.storage.MediaS3Storage"
        assert configured.MEDIA_URL == "https://media.example.org/"
        directives = configured.CONTENT_SECURITY_POLICY["DIRECTIVES"]
        assert "https://media.example.org" in directives["img-src"]
        assert directives["media-src"] == ["'self'", "https://media.example.org"]
    finally:
        sys.modules.pop("staffroom.config.settings.base", None)
        importlib.import_module("staffroom.config.settings.base")


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's S3 on a free port of 127.0.0.1, for this module; stopped at the end."""
    moto_server = pytest.importorskip("moto.server")
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3(s3_endpoint, monkeypatch, settings):
    """Django's default storage in a fresh bucket of the local S3, set up as the settings
    would from the environment; yields a boto3 client on the same bucket."""
    boto3 = pytest.importorskip("boto3")
    botocore_config = pytest.importorskip("botocore.config")

    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)  # 127.0.0.1 only, never through a proxy
    quick = botocore_config.Config(connect_timeout=5, read_timeout=10, retries={"max_attempts": 1})
    credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    client = boto3.client(
        "s3", endpoint_url=s3_endpoint, region_name="us-east-1", config=quick, **credentials
    )
    client.create_bucket(Bucket="staffroom-media")
    monkeypatch.setenv("STAFFROOM_MEDIA_BASE_URL", "https://media.example.org/")
    monkeypatch.setenv("STAFFROOM_S3_ENDPOINT_URL", s3_endpoint)
    monkeypatch.setenv("STAFFROOM_S3_REGION", "us-east-1")
    monkeypatch.setenv("STAFFROOM_S3_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("STAFFROOM_S3_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("STAFFROOM_S3_ACL", raising=False)
    storage, media_url = _s3_media_from_env("staffroom-media")
    storage["OPTIONS"]["client_config"] = quick
    with override_settings(STORAGES={**settings.STORAGES, "default": storage}, MEDIA_URL=media_url):
        yield client
    listed = client.list_objects_v2(Bucket="staffroom-media").get("Contents", [])
    for entry in listed:
        client.delete_object(Bucket="staffroom-media", Key=entry["Key"])
    client.delete_bucket(Bucket="staffroom-media")


def _public(client, key: str) -> bool:
    grants = client.get_object_acl(Bucket="staffroom-media", Key=key)["Grants"]
    return any(grant["Grantee"].get("URI", "").endswith("/AllUsers") for grant in grants)


def test_s3_objects_carry_the_headers_the_media_view_sends(s3):
    pdf = b"%PDF-1.7\n" + CONTENT
    name = default_storage.save(DOCUMENT, ContentFile(pdf))
    assert name == DOCUMENT
    stored = s3.head_object(Bucket="staffroom-media", Key=name)
    assert stored["ContentType"] == "application/pdf"
    assert stored["ContentDisposition"] == WORKSHEET
    assert stored["CacheControl"] == "public, max-age=31536000, immutable"
    assert _public(s3, name)
    assert default_storage.url(name) == f"https://media.example.org/{DOCUMENT}"

    image = default_storage.save(f"attachments/2026/12/{'c' * 32}.jpg", ContentFile(b"\xff\xd8"))
    stored = s3.head_object(Bucket="staffroom-media", Key=image)
    assert (stored["ContentType"], stored["ContentDisposition"]) == ("image/jpeg", "inline")

    with default_storage.open(name, "rb") as handle:
        assert handle.read() == pdf
    assert s3.get_object(Bucket="staffroom-media", Key=name)["Body"].read() == pdf

    # Names are never reused: a second file under the same name gets a new one.
    again = default_storage.save(DOCUMENT, ContentFile(b"%PDF-1.7\n"))
    assert again != DOCUMENT

    for each in (name, image, again):
        default_storage.delete(each)
        assert not default_storage.exists(each)
    assert "Contents" not in s3.list_objects_v2(Bucket="staffroom-media")


def test_s3_raw_uploads_are_private_downloads(s3):
    name = default_storage.save(
        "incoming/2026/12/0123456789abcdef0123456789abcdef.upload",
        ContentFile(b"<html><script>alert(1)</script></html>"),
    )
    stored = s3.head_object(Bucket="staffroom-media", Key=name)
    assert stored["ContentType"] == "application/octet-stream"
    assert stored["ContentDisposition"] == "attachment"
    assert not _public(s3, name)
    default_storage.delete(name)
