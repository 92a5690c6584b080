"""Mastodon's MediaAttachment entity, plus `pln` for what Mastodon has no field for.

Documents are `type: "unknown"` to Mastodon apps (which then offer a link to the file, as
for any attachment they cannot draw); `pln.kind` says `document` with its `format`, `pages`
and `filename`. Audio carries `pln.waveform`; audio and video carry `pln.transcript`.
While a file is being processed `url` is null, as Mastodon answers.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, NamedTuple, NotRequired, TypedDict

from staffroom.media.models import MediaAttachment, MediaState, MediaType
from staffroom.media.storage import public_url_prefix

MASTODON_TYPES: dict[str, str] = {
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


class _Values(NamedTuple):
    """What an entity reads of an attachment: a page of posts fetches exactly these as
    plain values (no model instances: a page with 50 attachments spent more on building
    models than on everything else media adds), and a single attachment passes its own."""

    id: int
    kind: str
    state: str
    file: str
    preview: str
    meta: dict[str, Any]
    extra: dict[str, Any]
    blurhash: str
    description: str
    transcript: str
    focus_x: float
    focus_y: float
    original_name: str
    captions: str
    captions_language: str

    @classmethod
    def of(cls, media: MediaAttachment) -> _Values:
        return cls(*(getattr(media, name) for name in cls._fields))


def _entity(values: _Values, prefix: str) -> MediaAttachmentEntity:
    """The entity; `prefix` is `public_url_prefix()`, read once per page. Stored names are
    server-made from [A-Za-z0-9/_.-] (storage.py), so nothing needs quoting. While a file
    is processing its URLs are null and its meta empty, as Mastodon answers."""
    ready = values.state == MediaState.READY
    pln: MediaPlnEntity = {
        "kind": values.kind,
        "state": values.state,
        "transcript": values.transcript,
    }
    if values.kind == MediaType.DOCUMENT:
        pln["filename"] = values.original_name
        pln["format"] = str(values.extra.get("format", ""))
        pln["pages"] = values.extra.get("pages")
    elif values.kind == MediaType.AUDIO and "waveform" in values.extra:
        pln["waveform"] = list(values.extra["waveform"])
    if values.captions:
        pln["captions_url"] = prefix + values.captions
        pln["captions_language"] = values.captions_language
    meta: dict[str, Any] = dict(values.meta) if ready else {}
    if values.kind in (MediaType.IMAGE, MediaType.VIDEO):
        meta["focus"] = {"x": values.focus_x, "y": values.focus_y}
    return {
        "id": str(values.id),
        "type": MASTODON_TYPES.get(values.kind, "unknown"),
        "url": prefix + values.file if ready and values.file else None,
        "preview_url": prefix + values.preview if ready and values.preview else None,
        "remote_url": None,
        "preview_remote_url": None,
        "text_url": None,
        "meta": meta,
        "description": values.description or None,
        "blurhash": values.blurhash or None,
        "pln": pln,
    }


def media_attachment_entity(media: MediaAttachment) -> MediaAttachmentEntity:
    return _entity(_Values.of(media), public_url_prefix())


def media_attachment_entities(rows: list[MediaAttachment]) -> list[MediaAttachmentEntity]:
    prefix = public_url_prefix()
    return [_entity(_Values.of(media), prefix) for media in rows]


def attachment_entities_by_status(
    status_ids: Collection[int],
) -> dict[int, list[MediaAttachmentEntity]]:
    """The attachments of a page of posts, in their order, in one query: post id -> its
    MediaAttachment entities (posts without any are absent)."""
    if not status_ids:
        return {}
    rows = (
        MediaAttachment.objects.filter(status_id__in=status_ids)
        .order_by("status_id", "position", "id")
        .values_list("status_id", *_Values._fields)
    )
    prefix = public_url_prefix()
    found: dict[int, list[MediaAttachmentEntity]] = {}
    for status_id, *values in rows:
        found.setdefault(status_id, []).append(_entity(_Values(*values), prefix))
    return found
