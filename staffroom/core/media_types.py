"""What a stored media file is sent as: one table shared by the media view (core/media.py)
and the S3 storage (core/storage.py), so a file gets the same headers from either.

The content type comes from the extension of the server-made name, never from the bytes.
Images, audio and video are shown in the page (`inline`); documents are always downloaded
(`attachment`), so a PDF or an office file is never rendered on the origin that serves it.
Raw uploads (`incoming/...`, waiting to be checked) are never served. Why: docs/subsystems/media.md.
"""

from __future__ import annotations

import re
from urllib.parse import quote

IMAGE_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
}
AUDIO_TYPES = {
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "ogg": "audio/ogg",
    "flac": "audio/flac",
    "wav": "audio/wav",
}
VIDEO_TYPES = {"mp4": "video/mp4", "webm": "video/webm"}
# Captions for videos (`<track>`), rewritten from the teacher's file (media/captions.py).
CAPTION_TYPES = {"vtt": "text/vtt; charset=utf-8"}
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
CONTENT_TYPES = IMAGE_TYPES | AUDIO_TYPES | VIDEO_TYPES | CAPTION_TYPES | DOCUMENT_TYPES

# Raw uploads wait here until the sandbox has checked and rewritten them.
UNSERVED_PREFIX = "incoming/"
# Stored names are random and never reused, so a file never changes under its URL.
IMMUTABLE_CACHE = "public, max-age=31536000, immutable"
# What S3 is told for anything the table does not know (a raw `.upload` among them).
FALLBACK_CONTENT_TYPE = "application/octet-stream"
_PLAIN_FILENAME = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9]+")


def extension(name: str) -> str:
    """The lower-cased extension of a stored name ("" when it has none)."""
    last = name.rpartition("/")[2]
    return last.rpartition(".")[2].lower() if "." in last else ""


def served_content_type(name: str) -> str | None:
    """The content type `name` is served with, or None when it must never be served."""
    if name.startswith(UNSERVED_PREFIX):
        return None
    return CONTENT_TYPES.get(extension(name))


def is_document(name: str) -> bool:
    return extension(name) in DOCUMENT_TYPES


def content_disposition(name: str) -> str:
    """`inline` for images, audio and video; `attachment` with the file's own name for a
    document (RFC 6266). The media app makes a document's last part of letters, digits, `-`
    and `_`, so the quoted and the encoded forms are the same; both are sent for clients
    that read only one. Any other name is never put between quotes as it is."""
    if not is_document(name):
        return "inline"
    filename = name.rpartition("/")[2]
    plain = filename if _PLAIN_FILENAME.fullmatch(filename) else f"document.{extension(name)}"
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"
