"""The contract between the processors, the sandbox and the media services."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class MediaKind(StrEnum):
    """What an upload is, decided from its bytes (never from its name or declared type).

    `sniff` decides it before anything is stored; a processor may refine it (a WebM with no
    picture is audio; a short silent looping MP4 is `gifv` in Mastodon's words, see
    `ProcessedMedia.mastodon_type`)."""

    IMAGE = "image"
    AUDIO = "audio"
    VIDEO = "video"
    DOCUMENT = "document"


class RejectionCode(StrEnum):
    """Why an upload was refused: stable, machine-readable, and the key of the teacher's
    message in `staffroom.media.errors`."""

    NOT_SUPPORTED = "media_not_supported"  # not a type we accept (SVG, HTML, ZIP, EXE, ...)
    EMPTY = "media_empty"
    DAMAGED = "media_damaged"  # truncated or corrupt
    TOO_MANY_PIXELS = "image_too_large"
    TOO_LONG = "media_too_long"  # audio or video past its duration limit
    TOO_MANY_PAGES = "document_too_many_pages"
    TOO_COMPLEX = "media_too_complex"  # a ZIP bomb, too many parts, memory or time ceiling hit
    MACROS = "document_macros"
    TRACKED_CHANGES = "document_tracked_changes"
    COMMENTS = "document_comments"
    ENCRYPTED = "document_encrypted"
    ACTIVE_CONTENT = "document_active_content"  # PDF JavaScript, launch actions, attachments


class MediaRejected(Exception):
    """The upload is refused; `code` says why, `detail` is for logs only (never shown)."""

    def __init__(self, code: RejectionCode, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else str(code))
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class ProcessingLimits:
    """The ceilings a processor enforces itself (the sandbox adds memory and CPU ones)."""

    max_pixels: int = 40_000_000
    max_video_seconds: float = 300.0
    max_audio_seconds: float = 1800.0
    max_document_pages: int = 300
    # Documents are ZIP files (Office, ODF): the most their parts may unpack to, and count.
    max_unpacked_bytes: int = 200 * 1024 * 1024
    max_parts: int = 2000

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ProcessingLimits:
        return cls(**data)


@dataclass(frozen=True)
class OutputFile:
    """A file a processor wrote into its output folder: the name there (no folders), and
    what it is. The services store it under a server-made name."""

    name: str
    extension: str  # without the dot: jpg, png, mp4, m4a, mp3, ogg, pdf, docx, ...
    content_type: str


@dataclass(frozen=True)
class ProcessedMedia:
    """What a processor made of an upload.

    `meta` is Mastodon's MediaAttachment `meta` without `focus` (the services add it):
    `original` (and `small` for the preview) with `width`, `height`, `size` ("WxH"),
    `aspect`, and for time-based media `duration` (seconds), `frame_rate` ("30/1"),
    `bitrate`. `extra` holds what Mastodon has no field for and `pln` shows: `waveform`
    (audio: up to 64 peaks between 0 and 1), `pages` and `format` (documents).
    """

    kind: MediaKind
    mastodon_type: str  # image, gifv, video, audio, unknown (Mastodon's word for documents)
    file: OutputFile
    preview: OutputFile | None = None
    blurhash: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ProcessedMedia:
        preview = data.get("preview")
        return cls(
            kind=MediaKind(data["kind"]),
            mastodon_type=data["mastodon_type"],
            file=OutputFile(**data["file"]),
            preview=OutputFile(**preview) if preview else None,
            blurhash=data.get("blurhash"),
            meta=data.get("meta") or {},
            extra=data.get("extra") or {},
        )
