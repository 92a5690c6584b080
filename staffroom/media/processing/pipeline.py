"""`process`: the one entry point, dispatching to the processor of each kind."""

from __future__ import annotations

from pathlib import Path

from staffroom.media.processing.types import (
    MediaKind,
    MediaRejected,
    ProcessedMedia,
    ProcessingLimits,
    RejectionCode,
)


def process(
    kind: MediaKind, source: Path, out_dir: Path, limits: ProcessingLimits
) -> ProcessedMedia:
    """Prove `source` is a `kind` we accept and write the files to serve into `out_dir`.

    Raises MediaRejected. Imports each processor only when needed, so a child process that
    handles an image never loads FFmpeg or pdfium.
    """
    if source.stat().st_size == 0:
        raise MediaRejected(RejectionCode.EMPTY)
    if kind is MediaKind.IMAGE:
        from staffroom.media.processing.images import process_image

        return process_image(source, out_dir, limits)
    if kind in (MediaKind.AUDIO, MediaKind.VIDEO):
        from staffroom.media.processing.av_media import process_av

        return process_av(kind, source, out_dir, limits)
    if kind is MediaKind.DOCUMENT:
        from staffroom.media.processing.documents import process_document

        return process_document(source, out_dir, limits)
    raise MediaRejected(RejectionCode.NOT_SUPPORTED, f"unknown kind {kind!r}")
