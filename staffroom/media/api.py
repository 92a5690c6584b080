"""Mastodon's media routes: upload (v1 and v2), read while processing, describe, delete.

- `POST /api/v1/media` processes in the request and answers 200 with the attachment.
- `POST /api/v2/media` answers 200 for an image (processed at once, as Mastodon does) and
  202 for audio, video and documents, whose `url` is null until a job has processed them.
- `GET /api/v1/media/:id` answers 206 while processing, 200 when ready, and 422 with the
  reason when processing refused the file.
- `PUT /api/v1/media/:id` changes `description`, `focus` (and `pln[transcript]` or
  `transcript`) of an attachment no post uses yet; a post's own are changed through the
  post's edit (`media_attributes[]`), as on Mastodon.
- `DELETE /api/v1/media/:id` deletes an unused attachment (409 once a post uses it).

Only the uploader ever sees an attachment through these routes: another teacher's id is
404 like an unknown one.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import field_validator

from staffroom.core.api.auth import TokenAuth
from staffroom.core.api.errors import error_response
from staffroom.core.exceptions import NOT_FOUND, NotFound, ValidationFailed
from staffroom.media.entities import MediaAttachmentEntity, media_attachment_entity
from staffroom.media.errors import processing_message
from staffroom.media.models import DESCRIPTION_MAX, TRANSCRIPT_MAX, MediaState
from staffroom.media.schemas import MediaAttachment
from staffroom.media.selectors import media_get_for_owner
from staffroom.media.services import (
    media_captions_clear,
    media_captions_set,
    media_delete,
    media_update,
    media_upload,
)
from staffroom.profiles.selectors import own_profile

v1_router = Router(tags=["media"])
v2_router = Router(tags=["media"])

# Generous bounds for the schema; the services apply the real limits with clear messages.
_TEXT_MAX = TRANSCRIPT_MAX * 2


class MediaPlnIn(Schema):
    transcript: str | None = Field(None, max_length=_TEXT_MAX)


class MediaUpdateIn(Schema):
    description: str | None = Field(None, max_length=DESCRIPTION_MAX * 4)
    focus: str | None = Field(None, max_length=64)
    transcript: str | None = Field(None, max_length=_TEXT_MAX)
    pln: MediaPlnIn | None = None

    def transcript_value(self) -> str | None:
        if self.pln is not None and self.pln.transcript is not None:
            return self.pln.transcript
        return self.transcript


class MediaIn(MediaUpdateIn):
    """A multipart upload: `file`, and optionally `description`, `focus`, a transcript.
    Mastodon's custom `thumbnail` is accepted and ignored (posters are made from the video)."""

    file: UploadedFile | None = None
    thumbnail: Any = None

    @field_validator("file", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if value == "" else value


def _upload(request: HttpRequest, payload: MediaIn, *, process_now: bool | None) -> Any:
    if payload.file is None:
        raise ValidationFailed("Validation failed: File can't be blank")
    media = media_upload(
        owner=own_profile(request),
        upload=payload.file,
        description=payload.description,
        focus=payload.focus,
        transcript=payload.transcript_value(),
        process_now=process_now,
    )
    entity = media_attachment_entity(media)
    return Status(200 if media.state == MediaState.READY else 202, entity)


@v1_router.post(
    "",
    response={200: MediaAttachment, 202: MediaAttachment},
    auth=TokenAuth("write:media"),
    summary="Upload a file and wait until it is processed",
)
def media_create_v1(request: HttpRequest, payload: MediaIn) -> Any:
    return _upload(request, payload, process_now=True)


@v2_router.post(
    "",
    response={200: MediaAttachment, 202: MediaAttachment},
    auth=TokenAuth("write:media"),
    summary="Upload a file (202 while audio, video or a document is processed)",
)
def media_create_v2(request: HttpRequest, payload: MediaIn) -> Any:
    return _upload(request, payload, process_now=None)


@v1_router.get(
    "/{id}",
    response={200: MediaAttachment, 206: MediaAttachment},
    auth=TokenAuth("write:media"),
    summary="One of your attachments (206 while it is processed)",
)
def media_detail(request: HttpRequest, id: str) -> Any:
    media = media_get_for_owner(id, own_profile(request))
    if media.state == MediaState.FAILED:
        return error_response(422, processing_message(media.error_code))
    entity = media_attachment_entity(media)
    return Status(206 if media.state == MediaState.PROCESSING else 200, entity)


@v1_router.put(
    "/{id}",
    response=MediaAttachment,
    auth=TokenAuth("write:media"),
    summary="Change the description (alt text), focal point or transcript",
)
def media_change(request: HttpRequest, id: str, payload: MediaUpdateIn) -> MediaAttachmentEntity:
    owner = own_profile(request)
    media = media_get_for_owner(id, owner)
    if media.status_id is not None:
        raise NotFound(NOT_FOUND)  # a post's own are changed by its edit, as on Mastodon
    updated = media_update(
        owner=owner,
        media=media,
        description=payload.description,
        focus=payload.focus,
        transcript=payload.transcript_value(),
    )
    return media_attachment_entity(updated)


@v1_router.delete(
    "/{id}",
    response=MediaAttachment,
    auth=TokenAuth("write:media"),
    summary="Delete an attachment no post uses yet",
)
def media_destroy(request: HttpRequest, id: str) -> MediaAttachmentEntity:
    owner = own_profile(request)
    media = media_get_for_owner(id, owner)
    entity = media_attachment_entity(media)
    media_delete(owner=owner, media=media)
    return entity


pln_router = Router(tags=["media"])


class CaptionsIn(Schema):
    """A WebVTT file (`file`) and its language (`language`, e.g. en)."""

    file: UploadedFile | None = None
    language: str | None = Field(None, max_length=32)


@pln_router.post(
    "/media/{id}/captions",
    response=MediaAttachment,
    auth=TokenAuth("write:media"),
    summary="Give one of your videos captions (a WebVTT file, rewritten before it is served)",
)
def captions_set(request: HttpRequest, id: str, payload: CaptionsIn) -> MediaAttachmentEntity:
    """Works on a video already in a post too: captions only add to who can follow it."""
    owner = own_profile(request)
    if payload.file is None:
        raise ValidationFailed("Validation failed: File can't be blank")
    media = media_captions_set(
        owner=owner,
        media=media_get_for_owner(id, owner),
        upload=payload.file,
        language=payload.language or "",
    )
    return media_attachment_entity(media)


@pln_router.delete(
    "/media/{id}/captions",
    response=MediaAttachment,
    auth=TokenAuth("write:media"),
    summary="Remove a video's captions",
)
def captions_clear(request: HttpRequest, id: str) -> MediaAttachmentEntity:
    owner = own_profile(request)
    media = media_captions_clear(owner=owner, media=media_get_for_owner(id, owner))
    return media_attachment_entity(media)
