"""Image processing in the media pipeline: the allow-list, the pixel limit before decoding,
re-encoding without metadata, orientation, sRGB, the stored size, previews; and the real
sandboxed child, including its memory ceiling."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from staffroom.media.processing.images import process_image
from staffroom.media.processing.types import (
    MediaKind,
    MediaRejected,
    ProcessingLimits,
    RejectionCode,
)
from staffroom.media.sandbox import SandboxLimits, _child_environment, run_sandboxed

RED = (220, 20, 20)
BLUE = (20, 20, 220)
LIMITS = ProcessingLimits()


def two_colour(size=(64, 48)) -> Image.Image:
    """Red on the left, blue on the right."""
    image = Image.new("RGB", size, RED)
    image.paste(BLUE, (size[0] // 2, 0, size[0], size[1]))
    return image


def saved(tmp_path: Path, image: Image.Image, name: str, fmt: str, **params) -> Path:
    path = tmp_path / name
    image.save(path, fmt, **params)
    return path


def processed(tmp_path: Path, source: Path, limits: ProcessingLimits = LIMITS):
    out_dir = tmp_path / f"out-{source.stem}"
    out_dir.mkdir(exist_ok=True)
    return process_image(source, out_dir, limits), out_dir


def opened(path: Path) -> Image.Image:
    image = Image.open(path)
    image.load()
    return image


def rgb(image: Image.Image, xy: tuple[int, int]) -> tuple[int, ...]:
    pixel = image.convert("RGB").getpixel(xy)
    assert isinstance(pixel, tuple)
    return pixel


def png_claiming(tmp_path: Path, width: int, height: int) -> Path:
    """A real 1x1 PNG whose IHDR (with a correct CRC) claims `width` x `height`."""
    path = saved(tmp_path, Image.new("L", (1, 1)), "flood.png", "PNG")
    data = bytearray(path.read_bytes())
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    path.write_bytes(bytes(data))
    return path


def rejected(tmp_path: Path, source: Path, limits: ProcessingLimits = LIMITS) -> RejectionCode:
    with pytest.raises(MediaRejected) as caught:
        processed(tmp_path, source, limits)
    return caught.value.code


def gps_exif(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretPhone"
    exif[ExifTags.Base.ImageDescription] = "secret description"
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (48.0, 51.0, 30.24)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (2.0, 17.0, 40.2)
    return exif


def test_jpeg_result_describes_file_preview_and_blurhash(tmp_path):
    source = saved(tmp_path, two_colour((800, 600)), "photo.jpg", "JPEG")

    result, out_dir = processed(tmp_path, source)

    assert result.kind is MediaKind.IMAGE
    assert result.mastodon_type == "image"
    assert (result.file.name, result.file.extension) == ("file.jpg", "jpg")
    assert result.file.content_type == "image/jpeg"
    stored = opened(out_dir / result.file.name)
    assert stored.format == "JPEG"
    assert stored.size == (800, 600)
    assert stored.info.get("progressive") or stored.info.get("progression")
    assert result.meta["original"] == {
        "width": 800,
        "height": 600,
        "size": "800x600",
        "aspect": round(800 / 600, 6),
    }
    assert result.preview is not None
    assert opened(out_dir / result.preview.name).format == "JPEG"
    assert result.meta["small"]["width"] == 640
    assert isinstance(result.blurhash, str)
    assert len(result.blurhash) == 28  # 4x3 components


def test_gps_exif_is_gone_from_a_jpeg(tmp_path):
    """SECURITY-PLAN U-3."""
    source = saved(tmp_path, two_colour(), "gps.jpg", "JPEG", exif=gps_exif())
    assert opened(source).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the fixture has GPS

    result, out_dir = processed(tmp_path, source)

    stored_bytes = (out_dir / result.file.name).read_bytes()
    stored = opened(out_dir / result.file.name)
    assert not stored.getexif()
    assert "exif" not in stored.info
    assert b"Exif" not in stored_bytes
    assert b"SecretPhone" not in stored_bytes
    assert b"secret description" not in stored_bytes
    preview_bytes = (out_dir / "preview.jpg").read_bytes()
    assert b"Exif" not in preview_bytes
    assert b"SecretPhone" not in preview_bytes


def test_exif_orientation_is_applied(tmp_path):
    # Stored landscape with a red top-left corner; orientation 6 = turn 90 degrees clockwise.
    image = Image.new("RGB", (80, 40), BLUE)
    image.paste(RED, (0, 0, 20, 20))
    source = saved(tmp_path, image, "turned.jpg", "JPEG", exif=gps_exif(orientation=6))

    result, out_dir = processed(tmp_path, source)

    stored = opened(out_dir / result.file.name).convert("RGB")
    assert stored.size == (40, 80)
    assert result.meta["original"]["size"] == "40x80"
    red, _green, blue = rgb(stored, (35, 5))  # the red corner is now top right
    assert red > 150
    assert blue < 100
    red, _green, blue = rgb(stored, (5, 5))
    assert blue > 150
    assert red < 100


def test_png_text_chunks_are_gone_and_png_stays_png(tmp_path):
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "secret comment")
    text.add_text("Author", "secret author")
    text.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>secret xmp</x:xmpmeta>")
    source = saved(tmp_path, two_colour(), "shot.png", "PNG", pnginfo=text)
    assert b"secret comment" in source.read_bytes()

    result, out_dir = processed(tmp_path, source)

    assert result.file.name == "file.png"
    assert result.file.content_type == "image/png"
    stored_bytes = (out_dir / "file.png").read_bytes()
    assert b"secret" not in stored_bytes
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"iCCP"):
        assert chunk not in stored_bytes
    stored = opened(out_dir / "file.png")
    assert isinstance(stored, PngImagePlugin.PngImageFile)
    assert not stored.text


def test_transparency_is_kept_as_png_and_opaque_alpha_dropped(tmp_path):
    see_through = Image.new("RGBA", (40, 40), (255, 0, 0, 0))
    see_through.paste((0, 0, 255, 255), (0, 0, 20, 40))
    source = saved(tmp_path, see_through, "alpha.webp", "WEBP", lossless=True)

    result, out_dir = processed(tmp_path, source)

    assert result.file.extension == "png"
    assert opened(out_dir / "file.png").mode == "RGBA"

    opaque = saved(tmp_path, Image.new("RGBA", (40, 40), (0, 0, 255, 255)), "o.webp", "WEBP")
    result, out_dir = processed(tmp_path, opaque)
    assert result.file.extension == "jpg"  # a lossy WebP without see-through pixels


def test_icc_profile_is_applied_then_dropped(tmp_path):
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    source = saved(tmp_path, two_colour(), "icc.jpg", "JPEG", icc_profile=srgb)
    assert opened(source).info.get("icc_profile")

    result, out_dir = processed(tmp_path, source)

    assert "icc_profile" not in opened(out_dir / result.file.name).info


def test_cmyk_jpeg_becomes_rgb(tmp_path):
    source = saved(tmp_path, Image.new("CMYK", (32, 32), (0, 255, 255, 0)), "c.jpg", "JPEG")

    result, out_dir = processed(tmp_path, source)

    stored = opened(out_dir / result.file.name)
    assert stored.mode == "RGB"
    red, green, blue = rgb(stored, (16, 16))
    assert red > 200
    assert green < 80
    assert blue < 80


def test_big_image_shrinks_into_the_box_and_small_is_never_upscaled(tmp_path):
    source = saved(tmp_path, two_colour((3200, 1000)), "wide.jpg", "JPEG", quality=50)

    result, out_dir = processed(tmp_path, source)

    assert opened(out_dir / result.file.name).size == (2560, 800)
    assert result.meta["original"]["size"] == "2560x800"

    tiny = saved(tmp_path, two_colour((30, 20)), "tiny.png", "PNG")
    result, out_dir = processed(tmp_path, tiny)
    assert opened(out_dir / result.file.name).size == (30, 20)
    assert result.meta["small"]["size"] == "30x20"


def test_animated_gif_keeps_its_first_frame_as_a_png(tmp_path):
    frames = [Image.new("P", (24, 24), index) for index in (1, 2, 3)]
    for frame in frames:
        frame.putpalette([0, 0, 0, 220, 20, 20, 20, 220, 20, 20, 20, 220] + [0] * 756)
    source = tmp_path / "moving.gif"
    frames[0].save(source, "GIF", save_all=True, append_images=frames[1:], duration=100)

    result, out_dir = processed(tmp_path, source)

    assert result.mastodon_type == "image"
    stored = opened(out_dir / result.file.name)
    assert stored.format == "PNG"
    assert getattr(stored, "n_frames", 1) == 1
    assert rgb(stored, (5, 5)) == RED


def test_pixel_flood_is_refused_from_the_header(tmp_path):
    # Past Pillow's own bomb limit: refused when opened.
    """SECURITY-PLAN U-1."""
    started = time.monotonic()
    assert rejected(tmp_path, png_claiming(tmp_path, 30000, 30000)) is RejectionCode.TOO_MANY_PIXELS
    # Under Pillow's limit, over ours (40 MP). The data is one pixel: had it been decoded,
    # it would have been "damaged" instead.
    assert rejected(tmp_path, png_claiming(tmp_path, 8000, 6000)) is RejectionCode.TOO_MANY_PIXELS
    # 2 to 7 ms for both here: over 100x the margin a slow, busy machine needs.
    assert time.monotonic() - started < 1.0


def test_pixel_limit_comes_from_the_processing_limits(tmp_path):
    source = saved(tmp_path, two_colour((100, 100)), "square.png", "PNG")
    code = rejected(tmp_path, source, ProcessingLimits(max_pixels=9_999))
    assert code is RejectionCode.TOO_MANY_PIXELS
    result, _ = processed(tmp_path, source, ProcessingLimits(max_pixels=10_000))
    assert result.meta["original"]["size"] == "100x100"


@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10"/>',
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
        os.urandom(2048),
    ],
    ids=["html", "svg", "svg-xml", "pdf", "random"],
)
def test_anything_but_the_four_formats_is_not_supported(tmp_path, content):
    source = tmp_path / "upload.jpg"
    source.write_bytes(content)
    assert rejected(tmp_path, source) is RejectionCode.NOT_SUPPORTED


@pytest.mark.parametrize("fmt", ["BMP", "TIFF", "ICO"])
def test_formats_pillow_reads_but_we_do_not_accept(tmp_path, fmt):
    source = saved(tmp_path, two_colour((32, 32)), f"picture.{fmt.lower()}", fmt)
    assert rejected(tmp_path, source) is RejectionCode.NOT_SUPPORTED


def test_truncated_jpeg_is_damaged(tmp_path):
    noisy = Image.effect_noise((256, 256), 80).convert("RGB")
    whole = saved(tmp_path, noisy, "whole.jpg", "JPEG").read_bytes()
    source = tmp_path / "cut.jpg"
    source.write_bytes(whole[: len(whole) // 2])
    assert rejected(tmp_path, source) is RejectionCode.DAMAGED


def test_truncated_png_is_damaged(tmp_path):
    noisy = Image.effect_noise((256, 256), 80).convert("RGB")
    whole = saved(tmp_path, noisy, "whole.png", "PNG").read_bytes()
    source = tmp_path / "cut.png"
    source.write_bytes(whole[: len(whole) // 2])
    assert rejected(tmp_path, source) is RejectionCode.DAMAGED


# --- The real sandboxed child ---------------------------------------------------------------


def test_sandboxed_child_processes_a_jpeg(tmp_path):
    source = saved(tmp_path, two_colour((400, 300)), "photo.jpg", "JPEG", exif=gps_exif())
    out_dir = tmp_path / "out"
    out_dir.mkdir()

    result = run_sandboxed(MediaKind.IMAGE, source, out_dir, ProcessingLimits(), SandboxLimits())

    assert result.kind is MediaKind.IMAGE
    assert result.file.name == "file.jpg"
    assert result.meta["original"]["size"] == "400x300"
    assert result.blurhash
    assert b"SecretPhone" not in (out_dir / "file.jpg").read_bytes()
    assert (out_dir / "preview.jpg").is_file()


def test_sandboxed_child_refusal_comes_back_with_its_code(tmp_path):
    source = tmp_path / "page.png"
    source.write_bytes(b"<html><body>not a picture</body></html>")
    out_dir = tmp_path / "out"
    out_dir.mkdir()

    with pytest.raises(MediaRejected) as caught:
        run_sandboxed(MediaKind.IMAGE, source, out_dir, ProcessingLimits(), SandboxLimits())

    assert caught.value.code is RejectionCode.NOT_SUPPORTED


def test_sandboxed_child_inherits_no_secrets(monkeypatch):
    """SECURITY-PLAN U-6."""
    monkeypatch.setenv("DATABASE_URL", "postgres://staffroom:secret@db/staffroom")
    monkeypatch.setenv("DJANGO_SECRET_KEY", "secret")

    environment = _child_environment()

    assert "DATABASE_URL" not in environment
    assert "DJANGO_SECRET_KEY" not in environment
    assert str(Path(__file__).resolve().parents[2]) in environment["PYTHONPATH"]


def _address_space_after_imports() -> int:
    """The child's address space once Python, Pillow and numpy are loaded, in bytes.

    A fixed ceiling such as 64 MiB fails before any image is read (numpy's libraries cannot
    even be mapped), which would prove nothing about decoding; the ceiling in the test below
    is this plus a margin a small image fits in and a 5000x5000 one does not."""
    script = (
        "import os; os.environ.setdefault('OMP_NUM_THREADS', '1');"
        "import staffroom.media.processing.images, staffroom.media.processing.pipeline;"
        "print([line.split()[1] for line in open('/proc/self/status')"
        " if line.startswith('VmSize')][0])"
    )
    environment = {"PATH": os.environ.get("PATH", ""), "OMP_NUM_THREADS": "1"}
    environment["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    finished = subprocess.run(  # noqa: S603
        [sys.executable, "-P", "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
    )
    return int(finished.stdout.strip()) * 1024


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux)")
def test_memory_ceiling_makes_a_big_image_too_complex_in_the_child(tmp_path):
    """SECURITY-PLAN U-1."""
    ceiling = _address_space_after_imports() + 40 * 1024 * 1024
    sandbox = SandboxLimits(memory_bytes=ceiling)
    small = saved(tmp_path, two_colour((400, 300)), "small.jpg", "JPEG")
    # 25 megapixels (under the 40 MP limit) that need 75 MB once decoded; compresses to 80 kB.
    big = saved(tmp_path, two_colour((5000, 5000)), "big.png", "PNG")
    (tmp_path / "small").mkdir()
    (tmp_path / "big").mkdir()

    # The same ceiling leaves room for the small image: it is the decoding that fails.
    result = run_sandboxed(MediaKind.IMAGE, small, tmp_path / "small", LIMITS, sandbox)
    assert result.file.name == "file.jpg"
    with pytest.raises(MediaRejected) as caught:
        run_sandboxed(MediaKind.IMAGE, big, tmp_path / "big", LIMITS, sandbox)
    assert caught.value.code is RejectionCode.TOO_COMPLEX
    assert caught.value.detail == "memory ceiling"  # a MemoryError the child reported


def test_a_ceiling_below_the_interpreter_is_too_complex_as_well(tmp_path):
    source = saved(tmp_path, two_colour((5000, 5000)), "big.png", "PNG")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    sandbox = SandboxLimits(memory_bytes=64 * 1024 * 1024)

    with pytest.raises(MediaRejected) as caught:
        run_sandboxed(MediaKind.IMAGE, source, out_dir, LIMITS, sandbox)

    assert caught.value.code is RejectionCode.TOO_COMPLEX
