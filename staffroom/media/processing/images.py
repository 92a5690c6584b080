"""Images: proven by a full decode with Pillow, then re-encoded into new bytes.

Why re-encode: the pixels are the only thing that travels. EXIF (GPS position, camera serial
numbers, the time a photo was taken), XMP, comments, PNG text chunks and anything appended
to the file (polyglots) are all left behind. Colour profiles are applied (converted to
sRGB) and then dropped, so colours stay right without shipping the profile.

Why an allow-list: Pillow decides the type from the bytes and only its JPEG, PNG, GIF and
WebP plugins are asked to open the file, so its other parsers (EPS through Ghostscript,
PSD, TIFF, ...) never run; SVG and HTML are not images to Pillow at all.

Why the pixel check comes first: the header states the size, so a "pixel flood" (a few
kilobytes claiming 30000x30000) is refused before a byte of it is decoded. The sandbox's
memory ceiling is the second line.

The same ideas as `staffroom.core.images` (avatars and headers), rewritten here because this
package runs in a child process that must not import Django.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from staffroom.media.processing.previews import dimensions, write_preview
from staffroom.media.processing.types import (
    MediaKind,
    MediaRejected,
    OutputFile,
    ProcessedMedia,
    ProcessingLimits,
    RejectionCode,
)

# Decided by Pillow from the content; nothing else is ever opened.
ALLOWED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
# Sources that are usually drawings or screenshots, where JPEG would blur text.
LOSSLESS_FORMATS = frozenset({"PNG", "GIF"})
# Stored images fit this box (never upscaled); Mastodon's own ceiling is about 8.3 MP.
MAX_SIDE = 2560
JPEG_QUALITY = 85
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def process_image(source: Path, out_dir: Path, limits: ProcessingLimits) -> ProcessedMedia:
    """Decode `source` (JPEG, PNG, GIF or WebP; the first frame of an animation), orient it,
    convert it to sRGB, shrink it into MAX_SIDE and write it as `file.png` or `file.jpg`,
    plus `preview.jpg`, into `out_dir`.

    Raises MediaRejected: NOT_SUPPORTED for any other type, TOO_MANY_PIXELS when the header
    states more than `limits.max_pixels` (checked before decoding), DAMAGED when the data is
    truncated or corrupt.
    """
    decoded, source_format = _decode(source, limits.max_pixels)
    try:
        image = _to_srgb(ImageOps.exif_transpose(decoded))
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        stored = _encode(image, out_dir, lossless=source_format in LOSSLESS_FORMATS)
        preview = write_preview(image, out_dir)
    except MemoryError:
        raise  # the sandbox's memory ceiling: the child reports the file as too complex
    except Exception as error:
        # Pillow's plugins raise many kinds of error on hostile input (struct.error,
        # SyntaxError, IndexError, ...); each one means the same thing to the teacher.
        raise MediaRejected(RejectionCode.DAMAGED, f"{type(error).__name__}: {error}") from error
    finally:
        decoded.close()  # an animated GIF keeps its file open for the other frames
    return ProcessedMedia(
        kind=MediaKind.IMAGE,
        mastodon_type="image",
        file=stored,
        preview=preview.file,
        blurhash=preview.blurhash,
        meta={"original": dimensions(image.width, image.height), "small": preview.small},
    )


def _decode(source: Path, max_pixels: int) -> tuple[Image.Image, str]:
    """Open `source` as one of ALLOWED_FORMATS, check its pixel count, and decode it.

    A JPEG is decoded at the smallest scale (1/2, 1/4, 1/8) still at least MAX_SIDE pixels
    on each side, which saves memory and time on big phone photos.
    """
    # Pillow only warns between 1x and 2x its own limit; escalate so a bomb never decodes.
    # (catch_warnings is process-global; the explicit pixel check below is the main guard.)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(source, formats=ALLOWED_FORMATS)
            try:
                source_format = _check(image, max_pixels)
                if source_format == "JPEG":
                    image.draft(None, (MAX_SIDE, MAX_SIDE))
                image.load()
            except BaseException:
                image.close()
                raise
        except MediaRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise MediaRejected(RejectionCode.TOO_MANY_PIXELS, str(error)) from error
        except UnidentifiedImageError as error:
            raise MediaRejected(RejectionCode.NOT_SUPPORTED, "not an allowed image") from error
        except MemoryError:
            raise
        except Exception as error:
            # Truncated or corrupt data: OSError, SyntaxError, ValueError, struct.error...
            raise MediaRejected(
                RejectionCode.DAMAGED, f"{type(error).__name__}: {error}"
            ) from error
    return image, source_format


def _check(image: Image.Image, max_pixels: int) -> str:
    """The opened image's format, once its header passed the allow-list and pixel limit."""
    source_format = image.format
    if source_format not in ALLOWED_FORMATS:
        raise MediaRejected(RejectionCode.NOT_SUPPORTED, f"format {source_format}")
    if image.width * image.height > max_pixels:
        raise MediaRejected(RejectionCode.TOO_MANY_PIXELS, f"{image.width}x{image.height}")
    return source_format


def _to_srgb(image: Image.Image) -> Image.Image:
    """RGBA if any pixel is see-through, otherwise RGB; colours converted to sRGB.

    An embedded ICC profile (Display P3 from phones, CMYK from print tools) is applied and
    then dropped; a profile that lcms cannot use is ignored (plain conversion).
    """
    if image.mode.startswith("I") or image.mode == "F":
        # 16-bit greyscale: scale to 8 bits instead of clipping everything to white.
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    has_alpha = image.mode in {"RGBA", "LA", "PA", "RGBa", "La"} or "transparency" in image.info
    target = "RGBA" if has_alpha else "RGB"
    icc = image.info.get("icc_profile")
    if image.mode not in {target, "CMYK"}:
        image = image.convert(target)
    converted: Image.Image | None = None
    if icc:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(image, profile, _SRGB, outputMode=target)
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            converted = None
    image = converted if converted is not None else image.convert(target)
    if target == "RGBA" and image.getchannel("A").getextrema()[0] == 255:
        image = image.convert("RGB")  # an alpha channel with nothing see-through
    return image


def _encode(image: Image.Image, out_dir: Path, *, lossless: bool) -> OutputFile:
    """PNG for real transparency or a PNG/GIF source (screenshots stay sharp), else JPEG."""
    # Nothing from the source travels: no EXIF, XMP, ICC, comments or text chunks.
    image.info = {}
    if image.mode == "RGBA" or lossless:
        name = "file.png"
        image.save(out_dir / name, "PNG", optimize=False)
        return OutputFile(name=name, extension="png", content_type="image/png")
    name = "file.jpg"
    image.save(out_dir / name, "JPEG", quality=JPEG_QUALITY, progressive=True, optimize=True)
    return OutputFile(name=name, extension="jpg", content_type="image/jpeg")
