"""The one image pipeline: every uploaded or fetched image goes through `process_image`.

The web UI and the Mastodon API (avatars, headers, post media) call it with an `ImageKind`
preset and store the result with `store_image`. The pipeline never trusts a filename or a
declared content type: Pillow decides the type from the bytes, only JPEG, PNG, GIF and WebP
are opened at all (so Pillow's other parsers, e.g. EPS through Ghostscript, never run), and
the image is always decoded and re-encoded into new bytes. Re-encoding is what removes EXIF
(GPS, camera serial numbers), XMP, comments, text chunks and anything appended to the file
(polyglots). Colour profiles are applied (converted to sRGB) and then dropped, so colours stay
right without shipping the profile. Animated GIF/WebP keep only their first frame.

See docs/subsystems/media.md for the limits and the reasons behind them.
"""

from __future__ import annotations

import io
import re
import secrets
import warnings
from dataclasses import dataclass
from enum import StrEnum
from typing import BinaryIO
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from staffroom.core.exceptions import DomainError

# Decided by Pillow from the content; nothing else is ever opened.
ALLOWED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
# Sources that are usually drawings or screenshots, where JPEG would blur text.
LOSSLESS_FORMATS = frozenset({"PNG", "GIF"})
MEGABYTE = 1024 * 1024
_SAFE_FOLDER = re.compile(r"[a-z0-9_-]+(/[a-z0-9_-]+)*")
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class ImageRejected(DomainError):
    """The upload is not an image we accept; `message` is written for the teacher.

    `status_code` is 413 for too many bytes and 422 otherwise; `code` is a stable
    machine-readable reason for API errors: `image_empty`, `image_not_supported`,
    `image_damaged`, `image_too_large` (too many pixels) or `file_too_large` (too many bytes).
    """

    status_code = 422

    def __init__(self, message: str, *, code: str, status_code: int = 422) -> None:
        super().__init__(message)
        self.code = code
        self.status_code = status_code


class CropMode(StrEnum):
    COVER = "cover"  # crop to the preset's aspect ratio, then shrink to fit its box
    FIT = "fit"  # keep the whole picture, shrink to fit within the box


@dataclass(frozen=True)
class ImageKind:
    """What a preset makes of an upload: the box it fits, how, and the output format policy.

    Output: PNG when the result has real transparency; PNG as well when `keep_lossless` is
    set and the source was PNG or GIF (screenshots of worksheets stay sharp); JPEG otherwise.
    Images are never upscaled. `max_bytes=None` means settings.STAFFROOM_IMAGE_MAX_BYTES.
    """

    name: str
    width: int
    height: int
    crop: CropMode
    keep_lossless: bool
    max_bytes: int | None = None
    jpeg_quality: int = 85

    def byte_limit(self) -> int:
        return self.max_bytes if self.max_bytes is not None else settings.STAFFROOM_IMAGE_MAX_BYTES


AVATAR = ImageKind("avatar", 400, 400, CropMode.COVER, keep_lossless=False)
HEADER = ImageKind("header", 1500, 500, CropMode.COVER, keep_lossless=False)
ATTACHMENT = ImageKind("attachment", 2560, 2560, CropMode.FIT, keep_lossless=True)


@dataclass(frozen=True)
class ProcessedImage:
    """New, metadata-free image bytes ready to store."""

    content: bytes
    content_type: str  # "image/jpeg" or "image/png"
    extension: str  # "jpg" or "png", without the dot
    width: int
    height: int


def process_image(upload: UploadedFile | bytes | BinaryIO, kind: ImageKind) -> ProcessedImage:
    """Check, decode, orient, resize and re-encode an uploaded image for `kind`.

    Reads at most `kind.byte_limit() + 1` bytes (an UploadedFile is rewound first; its
    `.size` is checked before anything is read). Pure: touches no storage and no database.
    Raises ImageRejected (413 `file_too_large`; 422 `image_empty`, `image_not_supported`,
    `image_too_large` for more than settings.STAFFROOM_IMAGE_MAX_PIXELS pixels, or
    `image_damaged`). The pixel limit is checked from the header, before anything is decoded.
    """
    data = _read_limited(upload, kind.byte_limit())
    if not data:
        raise ImageRejected(_("This file is empty: please choose an image."), code="image_empty")
    image, source_format = _decode(data, needed=max(kind.width, kind.height))
    try:
        image = _to_srgb(ImageOps.exif_transpose(image))
        image = _resize(image, kind)
        return _encode(image, kind, lossless_source=source_format in LOSSLESS_FORMATS)
    except Exception as error:
        # Pillow's plugins raise many kinds of error on hostile input (struct.error,
        # SyntaxError, IndexError, ...); each one means the same thing to the teacher.
        raise _damaged() from error


def read_limited(upload: UploadedFile | bytes | BinaryIO, max_bytes: int) -> bytes:
    """The upload's bytes, or ImageRejected (413 `file_too_large`) past `max_bytes`,
    reading at most `max_bytes + 1`."""
    return _read_limited(upload, max_bytes)


def rejection(code: str) -> ImageRejected:
    """The refusal for a reason found elsewhere (e.g. by the sandboxed decoder):
    `image_empty`, `image_not_supported`, `image_too_large`; anything else is damaged."""
    if code == "image_empty":
        return ImageRejected(_("This file is empty: please choose an image."), code=code)
    if code == "image_not_supported":
        return _not_supported()
    if code == "image_too_large":
        return _too_many_pixels(settings.STAFFROOM_IMAGE_MAX_PIXELS)
    return _damaged()


def _read_limited(upload: UploadedFile | bytes | BinaryIO, max_bytes: int) -> bytes:
    if isinstance(upload, bytes):
        data = upload
    else:
        if isinstance(upload, UploadedFile):
            if upload.size is not None and upload.size > max_bytes:
                raise _too_many_bytes(max_bytes)
            upload.seek(0)
        data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_many_bytes(max_bytes)
    return data


def _decode(data: bytes, *, needed: int) -> tuple[Image.Image, str]:
    """Open `data` as one of ALLOWED_FORMATS, check its pixel count, and decode it.

    A JPEG is decoded at the smallest scale (1/2, 1/4, 1/8) still at least `needed` pixels
    on each side, which saves memory and time on big phone photos.
    """
    max_pixels: int = settings.STAFFROOM_IMAGE_MAX_PIXELS
    # Pillow only warns between 1x and 2x its own limit; escalate so a bomb never decodes.
    # (catch_warnings is process-global; the explicit pixel check below is the main guard.)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
            source_format = image.format
            if source_format not in ALLOWED_FORMATS:
                raise _not_supported()
            if image.width * image.height > max_pixels:
                raise _too_many_pixels(max_pixels)
            if source_format == "JPEG":
                image.draft(None, (needed, needed))
            image.load()
        except ImageRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _too_many_pixels(max_pixels) from error
        except UnidentifiedImageError as error:
            raise _not_supported() from error
        except Exception as error:
            # Truncated or corrupt data: OSError, SyntaxError, ValueError, struct.error...
            raise _damaged() from error
    return image, source_format


def _to_srgb(image: Image.Image) -> Image.Image:
    """RGBA if any pixel is see-through, otherwise RGB; colours converted to sRGB.

    An embedded ICC profile (e.g. Display P3 from phones, CMYK from print tools) is applied
    and then dropped; a profile that lcms cannot use is ignored (plain conversion).
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
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode=target)
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            converted = None
    image = converted if converted is not None else image.convert(target)
    if target == "RGBA" and image.getchannel("A").getextrema()[0] == 255:
        image = image.convert("RGB")  # an alpha channel with nothing see-through
    return image


def _resize(image: Image.Image, kind: ImageKind) -> Image.Image:
    """Crop (COVER) to the kind's aspect ratio, then shrink into its box; never upscale."""
    if kind.crop is CropMode.FIT:
        image.thumbnail((kind.width, kind.height), Image.Resampling.LANCZOS)
        return image
    width, height = image.size
    if width * kind.height > height * kind.width:  # wider than the box: trim the sides
        crop_w, crop_h = max(1, round(height * kind.width / kind.height)), height
    else:  # taller: trim top and bottom
        crop_w, crop_h = width, max(1, round(width * kind.height / kind.width))
    left, top = (width - crop_w) // 2, (height - crop_h) // 2
    box = (left, top, left + crop_w, top + crop_h)
    size = (crop_w, crop_h) if crop_w <= kind.width else (kind.width, kind.height)
    return image.resize(size, Image.Resampling.LANCZOS, box=box)


def _encode(image: Image.Image, kind: ImageKind, *, lossless_source: bool) -> ProcessedImage:
    # Nothing from the source travels: no EXIF, XMP, ICC, comments or text chunks.
    image.info = {}
    buffer = io.BytesIO()
    if image.mode == "RGBA" or (kind.keep_lossless and lossless_source):
        image.save(buffer, "PNG")
        content_type, extension = "image/png", "png"
    else:
        image.save(buffer, "JPEG", quality=kind.jpeg_quality, progressive=True, optimize=True)
        content_type, extension = "image/jpeg", "jpg"
    return ProcessedImage(buffer.getvalue(), content_type, extension, image.width, image.height)


def store_image(processed: ProcessedImage, *, folder: str) -> str:
    """Save `processed` in default storage and return its storage name.

    The name is `<folder>/<yyyy>/<mm>/<32 random hex>.<ext>`: server-made, unguessable and
    never reused (the media view caches names forever), never from the upload's filename.
    `folder` is ours (e.g. "avatars"): lowercase letters, digits, `-`, `_` and `/` only,
    else ValueError.
    """
    if not _SAFE_FOLDER.fullmatch(folder):
        raise ValueError(f"unsafe media folder {folder!r}")
    name = f"{folder}/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{processed.extension}"
    return default_storage.save(name, ContentFile(processed.content))


def delete_stored_image(name: str) -> None:
    """Delete a stored image; an empty name or a file that is already gone is fine."""
    if not name:
        return
    try:
        default_storage.delete(name)
    except FileNotFoundError:
        return


def media_url(name: str) -> str:
    """The path under which the media view serves `name` (prefix the site's origin)."""
    return settings.MEDIA_URL + quote(name)


def _megabytes(count: int) -> str:
    return f"{count / MEGABYTE:g}"


def _too_many_bytes(max_bytes: int) -> ImageRejected:
    message = _("This image is too large: the most is %(size)s MB.") % {
        "size": _megabytes(max_bytes)
    }
    return ImageRejected(message, code="file_too_large", status_code=413)


def _too_many_pixels(max_pixels: int) -> ImageRejected:
    message = _(
        "This image has too many pixels: the most is %(count)s megapixels. "
        "Please make it smaller and upload it again."
    ) % {"count": f"{max_pixels / 1_000_000:g}"}
    return ImageRejected(message, code="image_too_large")


def _not_supported() -> ImageRejected:
    message = _("This file is not an image we can use: please upload a JPEG, PNG, GIF or WebP.")
    return ImageRejected(message, code="image_not_supported")


def _damaged() -> ImageRejected:
    message = _(
        "This image seems to be damaged or incomplete: please save it again and upload "
        "the new copy."
    )
    return ImageRejected(message, code="image_damaged")
