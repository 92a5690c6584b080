"""Reading media attachments."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from staffroom.core.exceptions import NotFound
from staffroom.core.ids import id_or_not_found
from staffroom.media.models import MediaAttachment
from staffroom.profiles.models import Profile

NOT_FOUND = "Record not found"


def media_get_for_owner(media_id: str | int, owner: Profile) -> MediaAttachment:
    """The owner's attachment; anyone else's is a NotFound, as an unknown id."""
    media = MediaAttachment.objects.filter(pk=id_or_not_found(media_id), account=owner).first()
    if media is None:
        raise NotFound(NOT_FOUND)
    return media


def attachments_in_order() -> QuerySet[MediaAttachment]:
    return MediaAttachment.objects.order_by("position", "id")


def attachments_prefetch() -> Prefetch[str]:
    """For `prefetch_related_objects(statuses, attachments_prefetch())`: each post's
    attachments in their order, in one query for a page."""
    return Prefetch("media_attachments", queryset=attachments_in_order())


def attachments_of_status(status_id: int) -> list[MediaAttachment]:
    """A post's attachments in their order."""
    return list(attachments_in_order().filter(status_id=status_id))


def uploads_in_order(owner: Profile, ids: list[int]) -> list[MediaAttachment]:
    """The owner's uploads that no post uses yet among `ids`, in that order (a composer
    shown again after a refused post); other ids are left out."""
    found = MediaAttachment.objects.filter(account=owner, status__isnull=True).in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def has_media() -> Exists:
    """For `statuses.filter(has_media())`: posts with at least one attachment (Mastodon's
    `only_media`)."""
    return Exists(MediaAttachment.objects.filter(status_id=OuterRef("pk")))
