"""A hashtag's trend review (Mastodon's model), written here because posts owns `Tag`:
trends asks for a review, a moderator decides through moderation's services."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from staffroom.accounts.models import User
from staffroom.posts.models import Tag


@transaction.atomic
def tag_review(tag: Tag, *, trendable: bool, moderator: User) -> Tag:
    """Record a moderator's decision on `tag`: True lets it trend, False never. The caller
    checked that `moderator` may moderate and writes the audit log; no event is emitted."""
    tag.trendable = trendable
    tag.reviewed_at = timezone.now()
    tag.save(update_fields=["trendable", "reviewed_at"])
    return tag


def tags_request_review(tag_ids: Collection[int], *, now: datetime) -> int:
    """Mark the unreviewed tags of `tag_ids` that never asked before as asking for review
    at `now` (one UPDATE); returns how many."""
    if not tag_ids:
        return 0
    return Tag.objects.filter(
        pk__in=list(tag_ids), trendable__isnull=True, requested_review_at__isnull=True
    ).update(requested_review_at=now)
