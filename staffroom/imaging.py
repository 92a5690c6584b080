"""Colour handling shared by the avatar pipeline (`core/images.py`) and the sandboxed
attachment processor (`media/processing/images.py`): Pillow only, no Django, so the
sandboxed child can import it."""

from __future__ import annotations

import io

from PIL import Image, ImageCms

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def to_srgb(image: Image.Image) -> Image.Image:
    """RGBA if any pixel is see-through, otherwise RGB; colours converted to sRGB.

    An embedded ICC profile (Display P3 from phones, CMYK from print tools) is applied
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
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(image, profile, _SRGB, outputMode=target)
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            converted = None
    image = converted if converted is not None else image.convert(target)
    if target == "RGBA" and image.getchannel("A").getextrema()[0] == 255:
        image = image.convert("RGB")  # an alpha channel with nothing see-through
    return image
