"""Previews (Mastodon's `preview_url`) and blurhashes, made from a decoded picture.

Shared by every kind: an image's thumbnail, a video's poster frame and a PDF's first page
all become a JPEG no larger than PREVIEW_BOX, with Mastodon's `meta.small` and a blurhash
(the blurred placeholder apps draw while the picture loads).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import blurhash
import numpy as np
from PIL import Image

from staffroom.media.processing.types import OutputFile

PREVIEW_BOX = 640
# Mastodon's component counts; computed on a tiny copy (the hash only holds 4x3 cosines).
BLURHASH_COMPONENTS = (4, 3)
BLURHASH_SOURCE_BOX = 32


@dataclass(frozen=True)
class Preview:
    file: OutputFile
    small: dict[str, Any]  # Mastodon's meta.small: width, height, size, aspect
    blurhash: str


def dimensions(width: int, height: int) -> dict[str, Any]:
    """Mastodon's meta.original/meta.small shape for a picture."""
    return {
        "width": width,
        "height": height,
        "size": f"{width}x{height}",
        "aspect": round(width / height, 6) if height else 0,
    }


def image_blurhash(image: Image.Image) -> str:
    tiny = image.convert("RGB")
    tiny.thumbnail((BLURHASH_SOURCE_BOX, BLURHASH_SOURCE_BOX), Image.Resampling.BILINEAR)
    pixels = np.asarray(tiny).tolist()
    components_x, components_y = BLURHASH_COMPONENTS
    return str(blurhash.encode(pixels, components_x=components_x, components_y=components_y))


def write_preview(image: Image.Image, out_dir: Path, *, name: str = "preview") -> Preview:
    """Write `image` shrunk into PREVIEW_BOX as `<name>.jpg` in `out_dir` (never upscaled,
    flattened onto white if see-through, no metadata) and describe it."""
    picture = image.copy()
    if picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info:
        rgba = picture.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        picture = flat
    else:
        picture = picture.convert("RGB")
    picture.thumbnail((PREVIEW_BOX, PREVIEW_BOX), Image.Resampling.LANCZOS)
    picture.info = {}
    filename = f"{name}.jpg"
    picture.save(out_dir / filename, "JPEG", quality=80, progressive=True, optimize=True)
    return Preview(
        file=OutputFile(name=filename, extension="jpg", content_type="image/jpeg"),
        small=dimensions(picture.width, picture.height),
        blurhash=image_blurhash(picture),
    )
