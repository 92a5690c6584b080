"""Schemas of the posts API: Mastodon's Status, StatusEdit, StatusSource and Context, and
what the write routes accept. Responses are dumped with `exclude_unset`, so the fields a
Mastodon server leaves out (`text` outside a delete, the viewer's marks when signed out,
`pinned` on others' posts) stay absent rather than null."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import Field, field_validator

from staffroom.filters.schemas import FilterResult
from staffroom.mastodon_api.entities import Account, CustomEmoji
from staffroom.media.schemas import MediaAttachment
from staffroom.polls.schemas import Poll

# Far above any post limit: the service answers the exact "character limit" message.
TEXT_FIELD_MAX = 100_000
LANGUAGE_FIELD_MAX = 32


class StatusMention(Schema):
    id: str
    username: str
    url: str
    acct: str


class StatusTag(Schema):
    name: str
    url: str


class StatusPln(Schema):
    """The PLN extension of a status: how it is made (`modality`) and who may see it in
    our own words (`visibility`: followers and connections are both Mastodon `private`)."""

    modality: str
    visibility: str
    community_id: str | None
    resource: dict[str, Any] | None


class Status(Schema):
    """Mastodon 4.3's Status, plus `pln`."""

    id: str
    uri: str
    url: str | None
    created_at: str
    account: Account
    content: str = Field(description="HTML")
    visibility: str
    sensitive: bool
    spoiler_text: str
    media_attachments: list[MediaAttachment]
    application: dict[str, Any] | None
    mentions: list[StatusMention]
    tags: list[StatusTag]
    emojis: list[CustomEmoji]
    reblogs_count: int
    favourites_count: int
    replies_count: int
    in_reply_to_id: str | None
    in_reply_to_account_id: str | None
    reblog: Status | None
    poll: Poll | None
    card: dict[str, Any] | None
    language: str | None
    edited_at: str | None
    text: str | None = None
    favourited: bool | None = None
    reblogged: bool | None = None
    muted: bool | None = None
    bookmarked: bool | None = None
    pinned: bool | None = None
    filtered: list[FilterResult] | None = None
    pln: StatusPln


Status.model_rebuild()


class StatusEdit(Schema):
    """One version of a post in its history (Mastodon's StatusEdit)."""

    content: str
    spoiler_text: str
    sensitive: bool
    created_at: str
    account: Account
    poll: dict[str, Any] | None
    media_attachments: list[MediaAttachment]
    emojis: list[CustomEmoji]


class StatusSource(Schema):
    id: str
    text: str
    spoiler_text: str


class Context(Schema):
    ancestors: list[Status]
    descendants: list[Status]


class PlnStatusIn(Schema):
    """`pln[visibility]=connections` (with `visibility=private`) and `pln[modality]`."""

    visibility: str | None = Field(None, max_length=32)
    modality: str | None = Field(None, max_length=32)


class MediaAttributeIn(Schema):
    """One of `media_attributes[]` in an edit: new alt text or focus for an attachment."""

    id: str | int
    description: str | None = Field(None, max_length=TEXT_FIELD_MAX)
    focus: str | None = Field(None, max_length=64)
    thumbnail: Any = None


class DraftIn(Schema):
    status: str | None = Field(None, max_length=TEXT_FIELD_MAX)
    spoiler_text: str | None = Field(None, max_length=TEXT_FIELD_MAX)
    sensitive: bool | None = None
    language: str | None = Field(None, max_length=LANGUAGE_FIELD_MAX)
    media_ids: list[str | int] | None = None
    poll: Any = None

    @field_validator("media_ids", mode="before")
    @classmethod
    def _one_id_is_a_list(cls, value: Any) -> Any:
        # A form with a single `media_ids[]` (or `media_ids`) may arrive as one value.
        if value is None or isinstance(value, list):
            return value
        return [] if value == "" else [value]


class StatusIn(DraftIn):
    """What `POST /api/v1/statuses` accepts (JSON, a form or multipart)."""

    in_reply_to_id: str | int | None = None
    visibility: str | None = Field(None, max_length=32)
    scheduled_at: str | None = Field(None, max_length=64)
    pln: PlnStatusIn | None = None


class StatusEditIn(DraftIn):
    """What `PUT /api/v1/statuses/:id` accepts: the new text replaces the old; `media_ids`
    (when sent) replace the attachments, `media_attributes` describe them anew."""

    media_attributes: list[MediaAttributeIn] | dict[str, MediaAttributeIn] | None = None

    def media_attributes_list(self) -> list[MediaAttributeIn]:
        attributes = self.media_attributes
        if attributes is None:
            return []
        if isinstance(attributes, dict):
            return [attributes[key] for key in sorted(attributes, key=lambda k: (len(k), k))]
        return attributes


class ReblogIn(Schema):
    visibility: str | None = Field(None, max_length=32)
