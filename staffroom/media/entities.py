"""Mastodon's MediaAttachment entity, plus `pln` for what Mastodon has no field for.

Documents are `type: "unknown"` to Mastodon apps (which then offer a link to the file, as
for any attachment they cannot draw); `pln.kind` says `document` with its `format`, `pages`
and `filename`. Audio carries `pln.waveform`; audio and video carry `pln.transcript`.
While a file is being processed `url` is null, as Mastodon answers.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, NotRequired, TypedDict

from staffroom.media.models import MediaAttachment, MediaState, MediaType
from staffroom.media.storage import public_url, public_url_prefix

MASTODON_TYPES = {
    MediaType.IMAGE: "image",
    MediaType.VIDEO: "video",
    MediaType.AUDIO: "audio",
    MediaType.DOCUMENT: "unknown",
}


class MediaPlnEntity(TypedDict):
    kind: str  # image, video, audio, document
    state: str  # processing, ready, failed
    transcript: str
    filename: NotRequired[str]
    format: NotRequired[str]
    pages: NotRequired[int | None]
    waveform: NotRequired[list[float]]
    captions_url: NotRequired[str]
    captions_language: NotRequired[str]


class MediaAttachmentEntity(TypedDict):
    id: str
    type: str
    url: str | None
    preview_url: str | None
    remote_url: None
    preview_remote_url: None
    text_url: None
    meta: dict[str, Any]
    description: str | None
    blurhash: str | None
    pln: MediaPlnEntity


def _pln(media: MediaAttachment) -> MediaPlnEntity:
    pln: MediaPlnEntity = {
        "kind": media.kind,
        "state": media.state,
        "transcript": media.transcript,
    }
    if media.kind == MediaType.DOCUMENT:
        pln["filename"] = media.original_name
        pln["format"] = str(media.extra.get("format", ""))
        pln["pages"] = media.extra.get("pages")
    if media.kind == MediaType.AUDIO and "waveform" in media.extra:
        pln["waveform"] = list(media.extra["waveform"])
    if media.captions:
        pln["captions_url"] = public_url(media.captions)
        pln["captions_language"] = media.captions_language
    return pln


def media_attachment_entity(media: MediaAttachment) -> MediaAttachmentEntity:
    ready = media.state == MediaState.READY
    meta: dict[str, Any] = dict(media.meta) if ready else {}
    if media.kind in (MediaType.IMAGE, MediaType.VIDEO):
        meta["focus"] = {"x": media.focus_x, "y": media.focus_y}
    return {
        "id": str(media.pk),
        "type": MASTODON_TYPES.get(MediaType(media.kind), "unknown"),
        "url": public_url(media.file) if ready and media.file else None,
        "preview_url": public_url(media.preview) if ready and media.preview else None,
        "remote_url": None,
        "preview_remote_url": None,
        "text_url": None,
        "meta": meta,
        "description": media.description or None,
        "blurhash": media.blurhash or None,
        "pln": _pln(media),
    }


def media_attachment_entities(rows: list[MediaAttachment]) -> list[MediaAttachmentEntity]:
    return [media_attachment_entity(media) for media in rows]


# What a page of posts reads of each attachment: plain values, no model instances (a page
# with 50 attachments spent more on building models than on everything else media adds).
_PAGE_FIELDS = (
    "status_id", "id", "kind", "file", "preview", "meta", "extra", "blurhash",
    "description", "transcript", "focus_x", "focus_y", "original_name", "captions",
    "captions_language",
)  # fmt: skip


def attachment_entities_by_status(
    status_ids: Collection[int],
) -> dict[int, list[MediaAttachmentEntity]]:
    """The attachments of a page of posts, in their order, in one query: post id -> its
    MediaAttachment entities (posts without any are absent). Only ready attachments are
    ever attached, so every one has its URLs."""
    if not status_ids:
        return {}
    rows = (
        MediaAttachment.objects.filter(status_id__in=status_ids)
        .order_by("status_id", "position", "id")
        .values_list(*_PAGE_FIELDS)
    )
    prefix = public_url_prefix()
    found: dict[int, list[MediaAttachmentEntity]] = {}
    for row in rows:
        status_id, pk, kind, file, preview, meta, extra, blurhash = row[:8]
        description, transcript, focus_x, focus_y, original_name, captions = row[8:14]
        pln: MediaPlnEntity = {"kind": kind, "state": MediaState.READY, "transcript": transcript}
        if kind == MediaType.DOCUMENT:
            pln["filename"] = original_name
            pln["format"] = str(extra.get("format", ""))
            pln["pages"] = extra.get("pages")
        elif kind == MediaType.AUDIO and "waveform" in extra:
            pln["waveform"] = extra["waveform"]
        if captions:
            pln["captions_url"] = prefix + captions
            pln["captions_language"] = row[14]
        if kind in (MediaType.IMAGE, MediaType.VIDEO):
            meta = {**meta, "focus": {"x": focus_x, "y": focus_y}}
        found.setdefault(status_id, []).append(
            {
                "id": str(pk),
                "type": MASTODON_TYPES.get(kind, "unknown"),
                # Stored names are server-made from [A-Za-z0-9/_.-] (storage.py): nothing
                # to quote.
                "url": prefix + file,
                "preview_url": prefix + preview if preview else None,
                "remote_url": None,
                "preview_remote_url": None,
                "text_url": None,
                "meta": meta,
                "description": description or None,
                "blurhash": blurhash or None,
                "pln": pln,
            }
        )
    return found
