"""Attachments on posts: checking the ids a post names, attaching them in order inside the
post's transaction, describing them, and the modality they give the post."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from staffroom.accounts.selectors import site_configuration
from staffroom.core.exceptions import ValidationFailed
from staffroom.core.ids import ascii_digits
from staffroom.core.pln import Modality
from staffroom.media import errors
from staffroom.media.models import (
    MediaAttachment,
    MediaState,
    MediaType,
)
from staffroom.media.services.removal import media_delete_rows
from staffroom.media.services.uploads import media_update
from staffroom.profiles.models import Profile

ATTACHMENTS_MAX = 4
# The modality a post takes from its attachments: the richest way of learning it offers.
_MODALITY_ORDER = (
    (MediaType.VIDEO, Modality.VIDEO),
    (MediaType.AUDIO, Modality.AUDIO),
    (MediaType.IMAGE, Modality.IMAGE),
    (MediaType.DOCUMENT, Modality.DOCUMENT),
)


@dataclass(frozen=True)
class MediaDescription:
    """New alt text, focus or transcript for one attachment, given with a post (or its
    edit); None keeps what it has."""

    media_id: str | int
    description: str | None = None
    focus: str | None = None
    transcript: str | None = None


def attachments_describe(
    *, owner: Profile, rows: Sequence[MediaAttachment], changes: Sequence[MediaDescription]
) -> None:
    """Apply `changes` to a post's attachments `rows` (each change must name one of them:
    ValidationFailed otherwise)."""
    by_id = {media.pk: media for media in rows}
    for change in changes:
        pk = _parse_ids([change.media_id])[0]
        media = by_id.get(pk)
        if media is None:
            raise ValidationFailed(
                _("Validation failed: media attachment %(id)s is not part of this post")
                % {"id": pk}
            )
        media_update(
            owner=owner,
            media=media,
            description=change.description,
            focus=change.focus,
            transcript=change.transcript,
        )


def uploads_describe(*, owner: Profile, changes: Sequence[MediaDescription]) -> None:
    """Apply `changes` to the owner's uploads that no post uses yet: the alt text and
    transcripts a page sends with a new post, written before `status_create` checks them
    (so a server that requires descriptions sees the ones just typed). One update per
    upload. Ids that are not such uploads are left alone: `status_create` refuses them with
    its reason, or answers the earlier post for a form sent twice. Raises ValidationFailed
    for more than four changes, a malformed id, or text over its limit."""
    if not changes:
        return
    ids = _parse_ids([change.media_id for change in changes])
    if len(changes) > ATTACHMENTS_MAX:
        raise ValidationFailed(
            _("Validation failed: a post may carry at most %(max)d attachments")
            % {"max": ATTACHMENTS_MAX}
        )
    rows = MediaAttachment.objects.filter(account=owner, status__isnull=True).in_bulk(ids)
    for change in changes:
        media = rows.get(_parse_ids([change.media_id])[0])
        if media is not None:
            media_update(
                owner=owner,
                media=media,
                description=change.description,
                focus=change.focus,
                transcript=change.transcript,
            )


def _parse_ids(ids: Sequence[str | int]) -> list[int]:
    parsed: list[int] = []
    for value in ids:
        text = str(value).strip()
        if not ascii_digits(text) or len(text) > 20:
            raise ValidationFailed(
                _("Validation failed: %(id)s is not a media attachment id") % {"id": text[:40]}
            )
        if int(text) not in parsed:
            parsed.append(int(text))
    return parsed


def attachments_for_post(
    *,
    owner: Profile,
    ids: Sequence[str | int],
    status_id: int | None = None,
    check_descriptions: bool = True,
) -> list[MediaAttachment]:
    """The owner's attachments `ids` names, in that order, checked for a post: at most
    four, each the owner's own, ready, not used by another post, and described when the
    server requires it. `status_id` is the post being edited (its own stay allowed).
    Raises ValidationFailed (422) with a sentence that says which rule."""
    wanted = _parse_ids(ids)
    if len(wanted) > ATTACHMENTS_MAX:
        raise ValidationFailed(
            _("Validation failed: a post may carry at most %(max)d attachments")
            % {"max": ATTACHMENTS_MAX}
        )
    found = MediaAttachment.objects.filter(account=owner).in_bulk(wanted)
    rows: list[MediaAttachment] = []
    for pk in wanted:
        media = found.get(pk)
        if media is None:
            raise ValidationFailed(
                _("Validation failed: media attachment %(id)s is not one of your uploads")
                % {"id": pk}
            )
        if media.status_id is not None and media.status_id != status_id:
            raise ValidationFailed(
                _("Validation failed: media attachment %(id)s is already part of another post")
                % {"id": pk}
            )
        if media.state == MediaState.PROCESSING:
            raise ValidationFailed(
                _("Cannot attach files that have not finished processing. Try again in a moment!")
            )
        if media.state == MediaState.FAILED:
            raise ValidationFailed(errors.processing_message(media.error_code))
        rows.append(media)
    if check_descriptions:
        attachments_check_descriptions(rows)
    return rows


def attachments_check_descriptions(rows: Sequence[MediaAttachment]) -> None:
    """Where the server requires it, every image has alt text and every recording a
    transcript or description; else ValidationFailed. (An edit checks after applying its
    new descriptions, so it can add the missing ones in the same request.)"""
    if not rows or not site_configuration().require_media_description:
        return
    for media in rows:
        if media.kind == MediaType.IMAGE and not media.description:
            raise ValidationFailed(
                _(
                    "Validation failed: this server asks for alt text on every image. Describe "
                    "what the image shows for colleagues who cannot see it."
                )
            )
        if media.kind in (MediaType.AUDIO, MediaType.VIDEO) and not (
            media.description or media.transcript
        ):
            raise ValidationFailed(
                _(
                    "Validation failed: this server asks for a transcript or description of "
                    "every recording, for colleagues who cannot hear it."
                )
            )


def modality_of(rows: Sequence[MediaAttachment]) -> str | None:
    """The post modality its attachments give it (video, audio, image, document), or None."""
    kinds = {row.kind for row in rows}
    for kind, modality in _MODALITY_ORDER:
        if kind in kinds:
            return str(modality)
    return None


def attachments_attach(*, status_id: int, rows: Sequence[MediaAttachment]) -> None:
    """Attach checked rows to a new post, in order. Call inside the post's transaction;
    a row taken by another post meanwhile raises ValidationFailed (rolling the post back)."""
    for position, media in enumerate(rows):
        taken = MediaAttachment.objects.filter(
            Q(status__isnull=True) | Q(status_id=status_id), pk=media.pk
        ).update(status_id=status_id, position=position)
        if not taken:
            raise ValidationFailed(
                _("Validation failed: media attachment %(id)s is already part of another post")
                % {"id": media.pk}
            )
        media.status_id, media.position = status_id, position


def attachments_replace(*, status_id: int, rows: Sequence[MediaAttachment]) -> None:
    """An edited post's attachments become `rows`; the ones it no longer names are deleted
    (rows now, files after commit). Call inside the post's transaction."""
    keep = [media.pk for media in rows]
    dropped = list(MediaAttachment.objects.filter(status_id=status_id).exclude(pk__in=keep))
    media_delete_rows(dropped)
    attachments_attach(status_id=status_id, rows=rows)
