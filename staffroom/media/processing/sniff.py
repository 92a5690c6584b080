"""Deciding what an upload is from its first bytes, before anything is stored.

Only a first guess to choose the size limit and the processor: every kind is then proven by
a full decode (Pillow, FFmpeg through PyAV, pdfium and pypdf, or the ZIP directory of an
Office or ODF file). The filename and the declared content type are never consulted.
"""

from __future__ import annotations

import filetype

from staffroom.media.processing.types import MediaKind

# Sniffed MIME type -> kind. Anything else (SVG and HTML are text, so `filetype` finds
# nothing; TIFF, BMP, PSD, EXE, RAR, ...) is not accepted.
_KINDS: dict[str, MediaKind] = {
    "image/jpeg": MediaKind.IMAGE,
    "image/png": MediaKind.IMAGE,
    "image/apng": MediaKind.IMAGE,
    "image/gif": MediaKind.IMAGE,
    "image/webp": MediaKind.IMAGE,
    "audio/mpeg": MediaKind.AUDIO,
    "audio/mp4": MediaKind.AUDIO,
    "audio/aac": MediaKind.AUDIO,
    "audio/ogg": MediaKind.AUDIO,
    "audio/x-flac": MediaKind.AUDIO,
    "audio/x-wav": MediaKind.AUDIO,
    "video/mp4": MediaKind.VIDEO,
    "video/x-m4v": MediaKind.VIDEO,
    "video/quicktime": MediaKind.VIDEO,
    "video/webm": MediaKind.VIDEO,
    "video/x-matroska": MediaKind.VIDEO,
    "application/pdf": MediaKind.DOCUMENT,
    "application/zip": MediaKind.DOCUMENT,
    "application/msword": MediaKind.DOCUMENT,  # refused by the processor (macros live there)
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": MediaKind.DOCUMENT,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": MediaKind.DOCUMENT,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        MediaKind.DOCUMENT
    ),
    "application/vnd.oasis.opendocument.text": MediaKind.DOCUMENT,
    "application/vnd.oasis.opendocument.spreadsheet": MediaKind.DOCUMENT,
    "application/vnd.oasis.opendocument.presentation": MediaKind.DOCUMENT,
}
# How many leading bytes `sniff` wants (filetype looks at most this far).
SNIFF_BYTES = 8192


def sniff(head: bytes) -> MediaKind | None:
    """The kind the first bytes of an upload announce, or None when we do not accept it."""
    if not head:
        return None
    guess = filetype.guess(head[:SNIFF_BYTES])
    if guess is None:
        return None
    return _KINDS.get(guess.mime)
