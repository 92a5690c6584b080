"""Small images for the emoji tests."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (64, 64)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA" if kind != "JPEG" else "RGB", size, (200, 30, 30, 255)).save(buffer, kind)
    return buffer.getvalue()


def upload(kind: str = "PNG", name: str = "emoji.png", data: bytes | None = None):
    return SimpleUploadedFile(name, image_bytes(kind) if data is None else data)
