"""Wire shapes of the scheduled posts routes (Mastodon's ScheduledStatus)."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import Field

from staffroom.media.schemas import MediaAttachment


class ScheduledParamsPln(Schema):
    visibility: str = Field(description="ours: public, unlisted, followers, connections, direct")
    modality: str | None


class ScheduledStatusParams(Schema):
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
    pln: ScheduledParamsPln


class ScheduledStatus(Schema):
    """Mastodon's ScheduledStatus: a post waiting to be published at `scheduled_at`."""

    id: str
    scheduled_at: str
    params: ScheduledStatusParams
    media_attachments: list[MediaAttachment]


class ScheduledStatusUpdateIn(Schema):
    """`PUT /api/v1/scheduled_statuses/:id`: only the time changes, as on Mastodon."""

    scheduled_at: str | None = Field(None, max_length=64)
