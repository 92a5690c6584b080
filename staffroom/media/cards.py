"""How an attachment is shown on the pages: on a post, in the composer, on the Media tab,
and in the JSON the composer's script reads while a file uploads.

URLs here are the site's own paths (`/media/...`, or the bucket's absolute URL when
MEDIA_URL names one), never the Mastodon entity's absolute URLs: a page loads them from
wherever it was served.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from staffroom.core.images import media_url
from staffroom.media.errors import processing_message
from staffroom.media.models import MediaAttachment, MediaState, MediaType

# The waveform is drawn in a box this tall; each peak is a bar 2 units apart.
_WAVE_HEIGHT = 32
_WAVE_STEP = 2


@dataclass(frozen=True)
class MediaCard:
    id: int
    kind: str
    state: str
    url: str
    preview_url: str
    description: str
    transcript: str
    filename: str
    width: int | None = None
    height: int | None = None
    format: str = ""
    pages: int | None = None
    waveform: tuple[float, ...] = ()
    error: str = ""
    captions_url: str = ""
    captions_language: str = ""

    @property
    def is_ready(self) -> bool:
        return self.state == MediaState.READY

    @property
    def is_image(self) -> bool:
        return self.kind == MediaType.IMAGE

    @property
    def is_audio(self) -> bool:
        return self.kind == MediaType.AUDIO

    @property
    def is_video(self) -> bool:
        return self.kind == MediaType.VIDEO

    @property
    def is_document(self) -> bool:
        return self.kind == MediaType.DOCUMENT

    @property
    def is_recording(self) -> bool:
        return self.kind in (MediaType.AUDIO, MediaType.VIDEO)

    @property
    def needs_description(self) -> bool:
        """An image without alt text, or a recording with neither transcript nor
        description: the composer nudges the teacher before posting."""
        if self.is_image:
            return not self.description
        if self.is_recording:
            return not (self.transcript or self.description)
        return False

    @property
    def kind_label(self) -> str:
        return str(MediaType(self.kind).label)

    @property
    def name(self) -> str:
        """The file's name on the teacher's computer, or what kind of file it is."""
        return self.filename or self.kind_label

    @property
    def alt(self) -> str:
        """The image's alt text; an undescribed image still says what it is."""
        return self.description or _("Image without a description")

    @property
    def details(self) -> str:
        """A document's kind and length, as "PDF · 3 pages"."""
        parts = [self.format] if self.format else []
        if self.pages:
            parts.append(
                ngettext("%(count)d page", "%(count)d pages", self.pages) % {"count": self.pages}
            )
        return " · ".join(parts)

    @property
    def waveform_width(self) -> int:
        return max(len(self.waveform), 1) * _WAVE_STEP

    @property
    def waveform_path(self) -> str:
        """An SVG path of vertical bars, one per peak, centred in the box."""
        middle = _WAVE_HEIGHT / 2
        bars = []
        for index, peak in enumerate(self.waveform):
            half = max(0.5, min(1.0, peak) * (middle - 1))
            x = index * _WAVE_STEP + 1
            bars.append(f"M{x} {middle - half:.1f}V{middle + half:.1f}")
        return "".join(bars)

    @property
    def waveform_height(self) -> int:
        return _WAVE_HEIGHT

    def as_json(self) -> dict[str, Any]:
        """What `/media-upload` answers the composer's script."""
        return {
            "id": str(self.id),
            "kind": self.kind,
            "kind_label": self.kind_label,
            "state": self.state,
            "url": self.url or None,
            "preview_url": self.preview_url or None,
            "filename": self.filename,
            "description": self.description,
            "transcript": self.transcript,
            "error": self.error or None,
        }


def _size(meta: dict[str, Any], key: str) -> tuple[int | None, int | None]:
    box = meta.get(key)
    if not isinstance(box, dict):
        return None, None
    width, height = box.get("width"), box.get("height")
    if isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0:
        return width, height
    return None, None


def _format_label(value: object) -> str:
    text = str(value or "").strip()
    return text.upper() if len(text) <= 5 else text


def _waveform(extra: dict[str, Any]) -> tuple[float, ...]:
    peaks = extra.get("waveform")
    if not isinstance(peaks, list):
        return ()
    return tuple(float(peak) for peak in peaks[:128] if isinstance(peak, int | float))


def media_card(media: MediaAttachment) -> MediaCard:
    """The page's view of one attachment (files only once it is ready)."""
    ready = media.state == MediaState.READY
    width, height = _size(media.meta, "small")
    if width is None:
        width, height = _size(media.meta, "original")
    pages = media.extra.get("pages")
    return MediaCard(
        id=media.pk,
        kind=media.kind,
        state=media.state,
        url=media_url(media.file) if ready and media.file else "",
        preview_url=media_url(media.preview) if ready and media.preview else "",
        description=media.description,
        transcript=media.transcript,
        filename=media.original_name,
        width=width,
        height=height,
        format=_format_label(media.extra.get("format")),
        pages=pages if isinstance(pages, int) else None,
        waveform=_waveform(media.extra),
        error=processing_message(media.error_code) if media.state == MediaState.FAILED else "",
        captions_url=media_url(media.captions) if media.captions else "",
        captions_language=media.captions_language,
    )


def ready_cards(rows: list[MediaAttachment]) -> list[MediaCard]:
    """Cards for a post's attachments: only ready ones are ever shown on a post."""
    return [media_card(media) for media in rows if media.state == MediaState.READY]
