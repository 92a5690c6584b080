"""The MediaAttachment schema of the OpenAPI document (the entity is built in entities.py)."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class MediaPln(Schema):
    kind: str
    state: str
    transcript: str
    filename: str | None = None
    format: str | None = None
    pages: int | None = None
    waveform: list[float] | None = None
    captions_url: str | None = None
    captions_language: str | None = None


class MediaAttachment(Schema):
    """Mastodon's MediaAttachment, plus `pln`."""

    id: str
    type: str
    url: str | None
    preview_url: str | None
    remote_url: str | None
    preview_remote_url: str | None
    text_url: str | None
    meta: dict[str, Any]
    description: str | None
    blurhash: str | None
    pln: MediaPln
