"""Reads of conversations: a teacher's page of them and one by id.

Every read is the viewer's own (another teacher's conversation id answers 404 like an
unknown one) and re-checks the last post against the audience rule
(`posts.selectors.visible_statuses`), so a row is never shown with a post its owner may
no longer see, even in the moment before a refresh. Pages are ordered by the last post's
id, newest first, and the cursors (`max_id`, `since_id`, `min_id`) are last post ids, as
Mastodon pages conversations.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from staffroom.conversations.models import Conversation
from staffroom.core.exceptions import NotFound
from staffroom.core.ids import id_or_not_found
from staffroom.posts.selectors import visible_statuses
from staffroom.profiles.models import Profile

NOT_FOUND = "Record not found"
PAGE_LIMIT_MAX = 80


def _readable(viewer: Profile) -> QuerySet[Conversation]:
    return (
        Conversation.objects.filter(owner=viewer, last_status__isnull=False)
        .filter(last_status__in=visible_statuses(viewer).values("pk"))
        .select_related("last_status__account__user")
        .prefetch_related(
            Prefetch("participants", queryset=Profile.objects.select_related("user").order_by("pk"))
        )
    )


def conversations_for(
    viewer: Profile,
    *,
    limit: int = 20,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
) -> list[Conversation]:
    """A page of the viewer's conversations, newest last post first; `limit` is clamped to
    1..80. Three queries (rows with their last posts, participants)."""
    rows = _readable(viewer)
    if max_id is not None:
        rows = rows.filter(last_status_id__lt=max_id)
    if since_id is not None:
        rows = rows.filter(last_status_id__gt=since_id)
    limit = max(1, min(limit, PAGE_LIMIT_MAX))
    if min_id is not None:  # oldest first from min_id, then shown newest first
        return list(rows.filter(last_status_id__gt=min_id).order_by("last_status_id")[:limit])[::-1]
    return list(rows.order_by("-last_status_id")[:limit])


def conversation_get(viewer: Profile, conversation_id: object) -> Conversation:
    """One of the viewer's conversations; NotFound ("Record not found") for another
    teacher's, an unknown or a malformed id, and one with nothing the viewer may see."""
    row = _readable(viewer).filter(pk=id_or_not_found(conversation_id)).first()
    if row is None:
        raise NotFound(NOT_FOUND)
    return row


def conversation_for_thread(viewer: Profile, thread_id: int) -> Conversation | None:
    """The viewer's conversation of a thread, loaded as a page's rows, or None."""
    return _readable(viewer).filter(thread_id=thread_id).first()
