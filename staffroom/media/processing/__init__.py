"""Turning an upload into files we are willing to serve: pure functions, no Django.

Everything here runs in a child process with a memory and CPU ceiling (`sandbox.py`), so a
decompression bomb or a crafted video can at worst kill that child, never a web or job
worker. `process(kind, source, out_dir, limits)` is the one entry point; each kind has its
module (`images`, `audio`, `video`, `documents`). A refusal is `MediaRejected(code)`; the
parent turns the code into a sentence for the teacher (`staffroom.media.errors`).
"""

from staffroom.media.processing.types import (
    MediaKind,
    MediaRejected,
    OutputFile,
    ProcessedMedia,
    ProcessingLimits,
    RejectionCode,
)

__all__ = [
    "MediaKind",
    "MediaRejected",
    "OutputFile",
    "ProcessedMedia",
    "ProcessingLimits",
    "RejectionCode",
]
