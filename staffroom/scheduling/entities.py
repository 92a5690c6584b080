"""Mastodon's ScheduledStatus entity, a page at a time in two queries (the rows, then the
uploads they hold)."""

from __future__ import annotations

from typing import Any, TypedDict

from staffroom.media.entities import MediaAttachmentEntity, media_attachment_entities
from staffroom.posts.entities import mastodon_timestamp
from staffroom.posts.models import Visibility
from staffroom.posts.visibility_words import MASTODON_VISIBILITY
from staffroom.scheduling.models import ScheduledStatus
from staffroom.scheduling.selectors import scheduled_media


class ScheduledParamsPlnEntity(TypedDict):
    visibility: str
    modality: str | None


class ScheduledParamsEntity(TypedDict):
    """What will be posted, in Mastodon's words; `pln` tells followers-only from
    connections-only (both `private`) and carries the chosen modality."""

    text: str
    spoiler_text: str | None
    sensitive: bool | None
    language: str | None
    visibility: str
    in_reply_to_id: str | None
    media_ids: list[str] | None
    poll: dict[str, Any] | None
    idempotency: str | None
    scheduled_at: None
    application_id: int | None
    with_rate_limit: bool
    pln: ScheduledParamsPlnEntity


class ScheduledStatusEntity(TypedDict):
    id: str
    scheduled_at: str
    params: ScheduledParamsEntity
    media_attachments: list[MediaAttachmentEntity]


def _params(params: dict[str, Any]) -> ScheduledParamsEntity:
    ours = str(params.get("visibility") or Visibility.PUBLIC)
    known = Visibility(ours) if ours in Visibility.values else Visibility.PUBLIC
    return {
        "text": params.get("text") or "",
        "spoiler_text": params.get("spoiler_text") or None,
        "sensitive": params.get("sensitive"),
        "language": params.get("language") or None,
        "visibility": MASTODON_VISIBILITY[known],
        "in_reply_to_id": params.get("in_reply_to_id"),
        "media_ids": params.get("media_ids"),
        "poll": params.get("poll"),
        "idempotency": params.get("idempotency"),
        "scheduled_at": None,
        "application_id": params.get("application_id"),
        "with_rate_limit": False,
        "pln": {"visibility": ours, "modality": params.get("modality")},
    }


def scheduled_status_entities(rows: list[ScheduledStatus]) -> list[ScheduledStatusEntity]:
    media = scheduled_media(rows)
    return [
        {
            "id": str(row.pk),
            "scheduled_at": mastodon_timestamp(row.scheduled_at),
            "params": _params(row.params),
            "media_attachments": media_attachment_entities(media[row.pk]),
        }
        for row in rows
    ]


def scheduled_status_entity(row: ScheduledStatus) -> ScheduledStatusEntity:
    return scheduled_status_entities([row])[0]
