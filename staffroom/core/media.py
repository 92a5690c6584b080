"""Serving uploaded media from MEDIA_ROOT with headers that keep a hostile file harmless.

Everything under MEDIA_ROOT was re-encoded by core/images.py, but this view does not rely on
that: it only serves image extensions, takes the content type from the extension (never from
the bytes), and sends `nosniff` and a sandboxing CSP, so even a file that got there some other
way cannot run script on our origin or pass for an ActivityPub document (CVE-2024-23832).
Why each header: docs/subsystems/media.md.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
}
# Names made by store_image match this; anything else (dot-files, "..", odd characters,
# backslashes, NUL) is refused before the file system is touched.
_SAFE_PATH = re.compile(r"[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*\.[A-Za-z0-9]+")

MEDIA_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    ),
    # Avatars and post media are public and are shown by Mastodon apps and other servers'
    # web pages on other origins; `same-site` would make browsers block those loads.
    "Cross-Origin-Resource-Policy": "cross-origin",
    # Stored names are random and never reused, so a file never changes under its URL.
    "Cache-Control": "public, max-age=31536000, immutable",
    "Content-Disposition": "inline",
}


@require_safe
def serve_media(request: HttpRequest, path: str) -> FileResponse:
    """GET or HEAD one stored image; 404 for unsafe paths, other types and missing files.

    Public (no sign-in): media URLs are unguessable and shared with the whole fediverse.
    """
    content_type = CONTENT_TYPES.get(_extension(path))
    if content_type is None or not _SAFE_PATH.fullmatch(path):
        raise Http404
    root = Path(settings.MEDIA_ROOT).resolve()
    full = (root / path).resolve()
    if not full.is_relative_to(root) or not full.is_file():  # a symlink out of MEDIA_ROOT
        raise Http404
    try:
        handle = full.open("rb")
    except OSError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=content_type)
    for header, value in MEDIA_HEADERS.items():
        response[header] = value
    return response


def _extension(path: str) -> str:
    return path.rpartition(".")[2].lower() if "." in path else ""
