"""Serving stored media from MEDIA_ROOT with headers that keep a hostile file harmless.

Every stored file was re-encoded or rewritten before it was stored, but this view does not
rely on that: it serves only the extensions of core/media_types.py, takes the content type
from the extension (never from the bytes), never serves a raw upload (`incoming/`), sends
documents as downloads, and sends `nosniff` and a sandboxing CSP, so even a file that got
there some other way cannot run script on our origin or pass for an ActivityPub document
(CVE-2024-23832). It answers single byte ranges, so audio and video can be sought in the
browser. Why each header: docs/subsystems/media.md.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any, BinaryIO, cast

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_safe

from staffroom.core.media_types import (
    IMMUTABLE_CACHE,
    content_disposition,
    served_content_type,
)

# Stored names match this; anything else (dot-files, "..", odd characters, backslashes, NUL)
# is refused before the file system is touched.
_SAFE_PATH = re.compile(r"[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*\.[A-Za-z0-9]+")

MEDIA_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    # `img-src`/`media-src` only let the browser's own viewer page show a file opened alone.
    "Content-Security-Policy": (
        "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox"
    ),
    # Avatars and post media are public and are shown by Mastodon apps and other servers'
    # web pages on other origins; `same-site` would make browsers block those loads.
    "Cross-Origin-Resource-Policy": "cross-origin",
    "Cache-Control": IMMUTABLE_CACHE,
    "Accept-Ranges": "bytes",
}

# One Range header: `bytes=first-last`, `bytes=first-` or `bytes=-suffix` (RFC 9110 14.1).
# Positions past 19 digits (more than any file) read as malformed.
_ONE_RANGE = re.compile(r"bytes=(\d{0,19})-(\d{0,19})", re.IGNORECASE)


class RangeNotSatisfiable(Exception):
    """The range holds no byte of the file (416)."""


def requested_range(request: HttpRequest, size: int) -> tuple[int, int] | None:
    """The first and last byte positions (inclusive) the request asks for, or None to send
    the whole file: no Range header, several ranges, a malformed one, or an If-Range (we
    send no validator to compare it with; RFC 9110 lets a server ignore Range in all these
    cases). Raises RangeNotSatisfiable when the range holds no byte of the file."""
    header = request.headers.get("Range")
    if not header or "If-Range" in request.headers:
        return None
    match = _ONE_RANGE.fullmatch(header.strip())
    if match is None or match.group(1) == match.group(2) == "":
        return None
    first, last = match.groups()
    if first == "":  # the last `last` bytes
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable
        return max(0, size - suffix), size - 1
    start = int(first)
    if last != "" and int(last) < start:
        return None  # invalid, so ignored
    if start >= size:
        raise RangeNotSatisfiable
    return start, size - 1 if last == "" else min(int(last), size - 1)


class FileSliceResponse(StreamingHttpResponse):
    """`length` bytes of an open file from `start`, read a block at a time.

    FileResponse cannot send part of a file, and under ASGI Django gathers a synchronous
    iterator into one list before sending it (the whole file in memory). Here each block
    is read in a worker thread while the response is sent, so a large video costs one block
    of memory, and the worker's one sync thread is never held by a slow client."""

    def __init__(
        self, handle: BinaryIO, start: int, length: int, *, head: bool, **kwargs: Any
    ) -> None:
        """`head`: send the headers only (Content-Length still says what GET would send)."""
        super().__init__(_FileSlice(handle, start, 0 if head else length), **kwargs)
        self["Content-Length"] = str(length)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        blocks = cast(Iterator[bytes], self.streaming_content)
        while (block := await asyncio.to_thread(next, blocks, None)) is not None:
            yield block


class _FileSlice:
    """Iterates over part of a file; the response closes it (and so the file) when done."""

    block_size = 256 * 1024

    def __init__(self, handle: BinaryIO, start: int, length: int) -> None:
        self.handle, self.start, self.length = handle, start, length

    def __iter__(self) -> Iterator[bytes]:
        self.handle.seek(self.start)
        remaining = self.length
        while remaining > 0:
            block = self.handle.read(min(self.block_size, remaining))
            if not block:  # the file shrank: the client sees a short body
                return
            remaining -= len(block)
            yield block

    def close(self) -> None:
        self.handle.close()


@require_safe
def serve_media(request: HttpRequest, path: str) -> HttpResponseBase:
    """GET or HEAD one stored file, or one byte range of it; 404 for unsafe paths, raw
    uploads, other types and missing files.

    Public (no sign-in): media URLs are unguessable and shared with the whole fediverse.
    """
    content_type = served_content_type(path)
    if content_type is None or not _SAFE_PATH.fullmatch(path):
        raise Http404
    handle = _open_under_media_root(path)
    size = os.fstat(handle.fileno()).st_size
    try:
        wanted = requested_range(request, size)
    except RangeNotSatisfiable:
        handle.close()
        refused = HttpResponse(status=416, content_type="text/plain")
        refused["Content-Range"] = f"bytes */{size}"
        _add_media_headers(refused, path)
        refused["Cache-Control"] = "no-store"  # a cache must not keep a 416 for the URL
        return refused
    first, last = wanted if wanted is not None else (0, size - 1)
    response = FileSliceResponse(
        handle,
        first,
        last - first + 1,
        head=request.method == "HEAD",
        status=200 if wanted is None else 206,
        content_type=content_type,
    )
    if wanted is not None:
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    _add_media_headers(response, path)
    return response


def _open_under_media_root(path: str) -> BinaryIO:
    root = Path(settings.MEDIA_ROOT).resolve()
    full = (root / path).resolve()
    if not full.is_relative_to(root) or not full.is_file():  # a symlink out of MEDIA_ROOT
        raise Http404
    try:
        return full.open("rb")
    except OSError as error:
        raise Http404 from error


def _add_media_headers(response: HttpResponseBase, path: str) -> None:
    for header, value in MEDIA_HEADERS.items():
        response[header] = value
    response["Content-Disposition"] = content_disposition(path)
