"""Deleting attachments: rows in the caller's transaction, files after commit (MediaDeleted's
subscriber enqueues a retried job), and the sweep of what no post will use."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from staffroom.core.events import MediaDeleted, emit
from staffroom.core.exceptions import NotFound
from staffroom.media import errors, storage
from staffroom.media.models import (
    MediaAttachment,
)
from staffroom.posts.models import Status
from staffroom.profiles.models import Profile

NOT_FOUND = "Record not found"

# Other apps that keep uploads for a post still to come (a scheduled post) say which, in a
# `media_holders.py` module: `@media_holder` over a function answering a queryset of ids.
MediaHolder = Callable[[], "QuerySet[Any, int]"]
_holders: dict[str, MediaHolder] = {}


def media_holder(function: MediaHolder) -> MediaHolder:
    """Register `function`: the attachment ids it answers are never swept as unused."""
    _holders[f"{function.__module__}.{function.__qualname__}"] = function
    return function


def _held() -> list[MediaHolder]:
    autodiscover_modules("media_holders")
    return list(_holders.values())


def files_delete_after_commit(names: Sequence[str], media_ids: Sequence[int] = ()) -> None:
    """Say which stored files to delete: MediaDeleted's subscriber deletes them after
    commit, by a retried job."""
    kept = tuple(name for name in names if name)
    if kept or media_ids:
        emit(MediaDeleted(media_ids=tuple(media_ids), stored_names=kept))


def media_delete(*, owner: Profile, media: MediaAttachment) -> None:
    """Delete the owner's attachment that no post uses yet (409 once it is attached: the
    post's edit removes it)."""
    if media.account_id != owner.pk:
        raise NotFound(NOT_FOUND)
    if media.status_id is not None:
        raise errors.MediaRefused(
            _("This attachment is part of a post: edit the post to remove it."),
            code="media_attached",
            status_code=409,
        )
    with transaction.atomic():
        media_delete_rows([media])


def media_delete_rows(rows: Sequence[MediaAttachment]) -> int:
    """Delete attachment rows and, after commit, their files."""
    if not rows:
        return 0
    names = [name for row in rows for name in row.stored_names]
    with transaction.atomic():
        ids = [row.pk for row in rows]
        deleted, _detail = MediaAttachment.objects.filter(pk__in=ids).delete()
        files_delete_after_commit(names, ids)
    return deleted


def attachments_delete_for_statuses(status_ids: Sequence[int]) -> int:
    """Delete the attachments of posts that are gone (rows now, files after commit)."""
    rows = list(MediaAttachment.objects.filter(status_id__in=status_ids))
    return media_delete_rows(rows)


def media_files_delete(names: Sequence[str]) -> None:
    storage.delete_names(names)


def media_orphans_sweep(*, now: datetime | None = None) -> int:
    """Delete what no post will use: uploads never attached after
    STAFFROOM_MEDIA_UNATTACHED_HOURS (except those a `media_holder` keeps, such as a
    scheduled post's), and attachments whose post no longer exists."""
    moment = now or timezone.now()
    cutoff = moment - timedelta(hours=settings.STAFFROOM_MEDIA_UNATTACHED_HOURS)
    unattached = MediaAttachment.objects.filter(status__isnull=True, created_at__lt=cutoff)
    for holder in _held():
        unattached = unattached.exclude(pk__in=holder())
    dangling = MediaAttachment.objects.filter(status__isnull=False).exclude(
        Exists(Status.objects.filter(pk=OuterRef("status_id")))
    )
    total = 0
    for queryset in (unattached, dangling):
        while True:
            batch = list(queryset[:500])
            if not batch:
                break
            total += media_delete_rows(batch)
    return total


def media_delete_for_account(profile: Profile) -> int:
    """Every attachment of a teacher who leaves (their posts' ones go with the posts)."""
    total = 0
    while True:
        batch = list(MediaAttachment.objects.filter(account=profile)[:500])
        if not batch:
            return total
        total += media_delete_rows(batch)
