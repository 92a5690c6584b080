"""`process`: the one entry point, dispatching to the processor of each kind."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from staffroom.media.processing.types import (
    MediaKind,
    MediaRejected,
    ProcessedMedia,
    ProcessingLimits,
    RejectionCode,
)

Processor = Callable[[MediaKind, Path, Path, ProcessingLimits], ProcessedMedia]

# Each kind's processor by module path, loaded on first use: a child process that proves
# an image never loads FFmpeg, pdfium or pypdf (about 0.3 s and 90 MB less per upload).
_PROCESSORS: dict[MediaKind, tuple[str, str]] = {
    MediaKind.IMAGE: ("staffroom.media.processing.images", "process_image"),
    MediaKind.AUDIO: ("staffroom.media.processing.av_media", "process_av"),
    MediaKind.VIDEO: ("staffroom.media.processing.av_media", "process_av"),
    MediaKind.DOCUMENT: ("staffroom.media.processing.documents", "process_document"),
}


def process(
    kind: MediaKind, source: Path, out_dir: Path, limits: ProcessingLimits
) -> ProcessedMedia:
    """Prove `source` is a `kind` we accept and write the files to serve into `out_dir`.

    Raises MediaRejected.
    """
    if source.stat().st_size == 0:
        raise MediaRejected(RejectionCode.EMPTY)
    if kind not in _PROCESSORS:
        raise MediaRejected(RejectionCode.NOT_SUPPORTED, f"unknown kind {kind!r}")
    module_path, name = _PROCESSORS[kind]
    function = getattr(importlib.import_module(module_path), name)
    if kind in (MediaKind.AUDIO, MediaKind.VIDEO):
        result: ProcessedMedia = function(kind, source, out_dir, limits)
    else:
        result = function(source, out_dir, limits)
    return result
