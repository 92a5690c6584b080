"""The shared image pipeline: type from content, limits, re-encoding, metadata, storage."""

from __future__ import annotations

import hashlib
import io
import re
import struct
import time
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from staffroom.core.images import (
    ATTACHMENT,
    AVATAR,
    HEADER,
    ImageRejected,
    ProcessedImage,
    delete_stored_image,
    media_url,
    process_image,
    store_image,
)

RED = (220, 20, 20)
BLUE = (20, 20, 220)


def encode(image: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def photo(size=(640, 480), fmt="JPEG", **params) -> bytes:
    image = Image.new("RGB", size, RED)
    image.paste(BLUE, (size[0] // 2, 0, size[0], size[1]))
    return encode(image, fmt, **params)


def opened(processed: ProcessedImage) -> Image.Image:
    image = Image.open(io.BytesIO(processed.content))
    image.load()
    return image


def png_claiming(width: int, height: int) -> bytes:
    """A real 1x1 PNG whose IHDR (with a correct CRC) claims `width` x `height`."""
    data = bytearray(encode(Image.new("L", (1, 1)), "PNG"))
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def gif_claiming(width: int, height: int) -> bytes:
    """A real 1x1 GIF whose logical screen claims `width` x `height`."""
    data = bytearray(encode(Image.new("P", (1, 1)), "GIF"))
    data[6:10] = struct.pack("<HH", width, height)
    return bytes(data)


def noise(length: int) -> bytes:
    """Deterministic bytes that look random."""
    blocks = (hashlib.sha256(str(index).encode()).digest() for index in range(length // 32 + 1))
    return b"".join(blocks)[:length]


def rejection(upload, kind=ATTACHMENT) -> ImageRejected:
    with pytest.raises(ImageRejected) as caught:
        process_image(upload, kind)
    return caught.value


@pytest.mark.parametrize(
    ("fmt", "expected"), [("JPEG", "JPEG"), ("PNG", "PNG"), ("GIF", "PNG"), ("WEBP", "JPEG")]
)
def test_process_image_accepts_and_reencodes_each_allowed_format(fmt, expected):
    source = photo(fmt=fmt) + b"TRAILING-BYTES"
    processed = process_image(source, ATTACHMENT)
    image = opened(processed)
    assert image.format == expected
    assert b"TRAILING" not in processed.content  # new bytes, not the upload passed through
    assert processed.content_type == f"image/{expected.lower()}"
    assert processed.extension == {"JPEG": "jpg", "PNG": "png"}[expected]
    assert (processed.width, processed.height) == image.size == (640, 480)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "WEBP"])
def test_process_image_avatar_is_always_jpeg_without_transparency(fmt):
    processed = process_image(photo(fmt=fmt), AVATAR)
    assert opened(processed).format == "JPEG"
    assert processed.content_type == "image/jpeg"


def test_process_image_accepts_an_uploaded_file_and_ignores_its_name_and_type():
    """SECURITY-PLAN U-6."""
    upload = SimpleUploadedFile("notes.txt", photo(fmt="PNG"), content_type="text/plain")
    upload.read(10)  # a form may already have read part of it
    processed = process_image(upload, AVATAR)
    assert opened(processed).format == "JPEG"


def exif_with_gps() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretCamCo"
    exif[ExifTags.Base.Model] = "SerialX-12345"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (51.0, 30.0, 12.0),
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: (0.0, 7.0, 39.0),
    }
    return exif


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_process_image_removes_exif_including_gps(fmt):
    """SECURITY-PLAN U-3."""
    source = photo(fmt=fmt, exif=exif_with_gps())
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # sanity
    processed = process_image(source, ATTACHMENT)
    image = opened(processed)
    assert not image.getexif()
    assert "exif" not in image.info
    assert b"SecretCamCo" not in processed.content
    assert b"SerialX" not in processed.content


def test_process_image_removes_xmp_comments_and_text_chunks():
    """SECURITY-PLAN U-3."""
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">secret-xmp</x:xmpmeta>'
    jpeg = photo(fmt="JPEG", comment=b"secret-comment", xmp=xmp)
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "secret-author")
    info.add_itxt("Description", "secret-itxt", zip=True)
    png = photo(fmt="PNG", pnginfo=info)
    for source in (jpeg, png):
        content = process_image(source, ATTACHMENT).content
        for secret in (b"secret", b"xmpmeta", b"tEXt", b"iTXt", b"zTXt"):
            assert secret not in content
        assert not {"comment", "xmp", "Author", "Description"} & set(opened_bytes(content).info)


def opened_bytes(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


def test_process_image_applies_exif_orientation():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # shown turned 90 degrees clockwise
    source = photo(size=(200, 100), fmt="JPEG", exif=exif)
    image = opened(process_image(source, ATTACHMENT)).convert("RGB")
    assert image.size == (100, 200)
    top, bottom = image.getpixel((50, 10)), image.getpixel((50, 190))
    assert isinstance(top, tuple)
    assert isinstance(bottom, tuple)
    assert top[0] > top[2]  # the left (red) half is now on top
    assert bottom[2] > bottom[0]
    assert not image.getexif()


def transparent_png() -> bytes:
    image = Image.new("RGBA", (300, 200), (*RED, 255))
    image.paste((0, 0, 0, 0), (0, 0, 150, 200))
    return encode(image, "PNG")


@pytest.mark.parametrize("kind", [AVATAR, ATTACHMENT])
def test_process_image_png_with_transparency_stays_png(kind):
    processed = process_image(transparent_png(), kind)
    image = opened(processed)
    assert image.format == "PNG"
    assert image.mode == "RGBA"
    alpha = image.getchannel("A").getextrema()
    assert alpha == (0, 255)


def test_process_image_gif_transparency_becomes_png_with_alpha():
    image = Image.new("P", (40, 40), 1)
    image.putpalette([0, 0, 0, *RED] + [0] * (256 - 2) * 3)
    image.paste(0, (0, 0, 20, 40))
    processed = process_image(encode(image, "GIF", transparency=0), AVATAR)
    assert opened(processed).mode == "RGBA"
    assert processed.content_type == "image/png"


def test_process_image_opaque_alpha_channel_becomes_jpeg_for_avatars():
    source = encode(Image.new("RGBA", (50, 50), (*RED, 255)), "PNG")
    assert process_image(source, AVATAR).content_type == "image/jpeg"


def test_process_image_animated_gif_keeps_only_the_first_frame():
    frames = [Image.new("RGB", (30, 30), colour) for colour in (RED, BLUE, RED)]
    source = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    assert getattr(Image.open(io.BytesIO(source)), "n_frames", 1) == 3  # sanity
    image = opened(process_image(source, ATTACHMENT))
    assert getattr(image, "n_frames", 1) == 1
    pixel = image.convert("RGB").getpixel((15, 15))
    assert isinstance(pixel, tuple)
    assert pixel[0] > pixel[2]


@pytest.mark.parametrize(
    ("kind", "source_size", "expected"),
    [
        (AVATAR, (800, 600), (400, 400)),
        (AVATAR, (600, 900), (400, 400)),
        (AVATAR, (100, 60), (60, 60)),  # cropped square, never upscaled
        (HEADER, (3000, 2000), (1500, 500)),
        (HEADER, (600, 600), (600, 200)),
        (ATTACHMENT, (5120, 1024), (2560, 512)),
        (ATTACHMENT, (320, 240), (320, 240)),
    ],
)
def test_process_image_resizes_to_the_kind_without_upscaling(kind, source_size, expected):
    processed = process_image(photo(size=source_size), kind)
    assert (processed.width, processed.height) == expected
    assert opened(processed).size == expected


def test_process_image_avatar_crop_is_centred():
    image = Image.new("RGB", (300, 100), BLUE)
    image.paste(RED, (100, 0, 200, 100))  # the middle third
    processed = opened(process_image(encode(image, "PNG"), AVATAR)).convert("RGB")
    assert processed.size == (100, 100)
    for x in (2, 50, 97):
        pixel = processed.getpixel((x, 50))
        assert isinstance(pixel, tuple)
        assert pixel[0] > pixel[2]


def test_process_image_converts_cmyk_and_icc_profiles_to_plain_srgb():
    cmyk = encode(Image.new("CMYK", (40, 40), (0, 255, 255, 0)), "JPEG")
    srgb_icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    tagged = photo(fmt="JPEG", icc_profile=srgb_icc)
    broken = photo(fmt="PNG", icc_profile=b"not really a profile")
    for source in (cmyk, tagged, broken):
        image = opened(process_image(source, ATTACHMENT))
        assert image.mode == "RGB"
        assert "icc_profile" not in image.info


def test_process_image_scales_16_bit_greyscale_instead_of_clipping():
    source = encode(Image.new("I;16", (20, 20), 32768), "PNG")
    pixel = opened(process_image(source, ATTACHMENT)).convert("L").getpixel((10, 10))
    assert pixel == 128


def test_process_image_refuses_too_many_bytes_with_413(settings):
    settings.STAFFROOM_IMAGE_MAX_BYTES = 8 * 1024 * 1024
    error = rejection(b"\xff" * (8 * 1024 * 1024 + 1))
    assert error.status_code == 413
    assert error.code == "file_too_large"
    assert error.message == "This image is too large: the most is 8 MB."


def test_process_image_checks_the_upload_size_before_reading(settings):
    settings.STAFFROOM_IMAGE_MAX_BYTES = 1000

    class Unreadable(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            raise AssertionError("the size alone must refuse it")

    upload = SimpleUploadedFile("a.jpg", photo())
    upload.file = Unreadable(photo())
    upload.size = 5000
    assert rejection(upload).status_code == 413


def test_process_image_reads_a_stream_no_further_than_the_limit(settings):
    settings.STAFFROOM_IMAGE_MAX_BYTES = 1000
    stream = io.BytesIO(b"\0" * 100_000)
    assert rejection(stream).status_code == 413
    assert stream.tell() == 1001


def test_process_image_kind_byte_limit_wins_over_the_setting():
    from dataclasses import replace

    tiny = replace(AVATAR, max_bytes=100)
    assert rejection(photo(), tiny).status_code == 413


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(png_claiming(30000, 30000), id="png-30000x30000-pillow-error"),
        pytest.param(png_claiming(10000, 10000), id="png-100MP-pillow-warning"),
        pytest.param(png_claiming(8000, 6000), id="png-48MP-our-limit"),
        pytest.param(gif_claiming(65535, 65535), id="gif-65535x65535"),
    ],
)
def test_process_image_refuses_pixel_floods_quickly(source):
    """SECURITY-PLAN U-1."""
    started = time.monotonic()
    error = rejection(source)
    assert time.monotonic() - started < 1
    assert len(source) < 100
    assert error.status_code == 422
    assert error.code == "image_too_large"
    assert error.message.startswith("This image has too many pixels: the most is 40 megapixels.")


def test_process_image_pixel_limit_is_a_setting(settings):
    """SECURITY-PLAN U-1."""
    settings.STAFFROOM_IMAGE_MAX_PIXELS = 10_000
    assert rejection(photo(size=(101, 100))).code == "image_too_large"
    assert process_image(photo(size=(100, 100)), ATTACHMENT).width == 100


NOT_SUPPORTED = "This file is not an image we can use: please upload a JPEG, PNG, GIF or WebP."
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


@pytest.mark.parametrize(
    "upload",
    [
        pytest.param(SimpleUploadedFile("a.svg", SVG, content_type="image/svg+xml"), id="svg"),
        pytest.param(SimpleUploadedFile("a.jpg", HTML, content_type="image/jpeg"), id="html"),
        pytest.param(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n", id="pdf"),
        pytest.param(b'{"type": "Person", "id": "https://evil.example/actor"}', id="json"),
        pytest.param(noise(4096), id="random-bytes"),
        pytest.param(photo(fmt="BMP"), id="bmp"),
        pytest.param(photo(fmt="TIFF"), id="tiff"),
        pytest.param(b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n", id="eps"),
    ],
)
def test_process_image_refuses_what_is_not_an_allowed_image(upload):
    """SECURITY-PLAN U-2."""
    error = rejection(upload)
    assert error.status_code == 422
    assert error.code == "image_not_supported"
    assert error.message == NOT_SUPPORTED


def test_process_image_refuses_an_empty_file():
    """SECURITY-PLAN U-2."""
    for upload in (b"", SimpleUploadedFile("empty.jpg", b"")):
        error = rejection(upload)
        assert error.status_code == 422
        assert error.code == "image_empty"
        assert "empty" in error.message


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_process_image_refuses_a_truncated_image(fmt):
    """SECURITY-PLAN U-2."""
    source = photo(size=(800, 600), fmt=fmt)
    error = rejection(source[: len(source) // 2])
    assert error.status_code == 422
    assert error.code == "image_damaged"
    assert "damaged" in error.message


def test_process_image_polyglot_comes_out_without_the_html():
    """SECURITY-PLAN U-2."""
    script = b"<html><script>alert(1)</script></html>"
    gif = encode(Image.new("RGB", (20, 20), RED), "GIF", comment=script) + script
    assert gif.startswith(b"GIF8")
    assert gif.count(b"<script>") == 2  # sanity: in a comment block and after the trailer
    for kind in (AVATAR, ATTACHMENT):
        content = process_image(gif, kind).content
        assert b"<script" not in content
        assert b"<html" not in content


def test_store_image_uses_a_random_name_never_the_upload_name(settings, tmp_path):
    """SECURITY-PLAN U-6."""
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("../../etc/passwd.jpg", photo())
    processed = process_image(upload, AVATAR)
    first = store_image(processed, folder="avatars")
    second = store_image(processed, folder="avatars")
    pattern = r"avatars/\d{4}/\d{2}/[0-9a-f]{32}\.jpg"
    assert re.fullmatch(pattern, first)
    assert re.fullmatch(pattern, second)
    assert first != second
    assert "passwd" not in first
    assert (tmp_path / first).read_bytes() == processed.content
    assert len([path for path in Path(tmp_path).rglob("*") if path.is_file()]) == 2


@pytest.mark.parametrize("folder", ["../avatars", "/avatars", "avatars/../x", "Avatars", ""])
def test_store_image_refuses_an_unsafe_folder(settings, tmp_path, folder):
    settings.MEDIA_ROOT = tmp_path
    processed = process_image(photo(), AVATAR)
    with pytest.raises(ValueError, match="unsafe media folder"):
        store_image(processed, folder=folder)


def test_delete_stored_image_removes_the_file_and_ignores_missing_ones(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    name = store_image(process_image(photo(), HEADER), folder="headers")
    delete_stored_image(name)
    assert not (tmp_path / name).exists()
    delete_stored_image(name)
    delete_stored_image("headers/2020/01/never-there.jpg")
    delete_stored_image("")


def test_media_url_prefixes_media_url(settings):
    settings.MEDIA_URL = "/media/"
    assert media_url("avatars/2026/01/abc.jpg") == "/media/avatars/2026/01/abc.jpg"
