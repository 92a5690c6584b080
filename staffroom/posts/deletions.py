"""The posts' deletion part: a deleted teacher's posts, reshares, favourites and bookmarks.

The rows would go anyway when the profile row is deleted (every foreign key to the profile
cascades), but a cascade does not touch the counters on other teachers' posts: their
`replies_count`, `reblogs_count` and `favourites_count` would keep counting rows that no
longer exist. This part removes the rows in batches and, in the same transaction as each
batch, recounts the posts they counted on from the rows that remain (`posts.counters`):
whether a row still counted (a suspended author's no longer do) does not matter, and a
rerun after a crash never takes anything off twice.
Rows go through `posts.services.statuses_delete`, which emits StatusDeleted for each post
and for each reshare of it that others made (their post counters move with them).
"""

from __future__ import annotations

from django.db import transaction

from staffroom.accounts.models import User
from staffroom.leaving.deletion import deletion_part
from staffroom.posts.counters import counts_recount
from staffroom.posts.models import Bookmark, ConversationMute, Favourite, Status
from staffroom.posts.services import statuses_delete
from staffroom.profiles.models import Profile

BATCH = 500


def _statuses_delete(profile: Profile) -> None:
    while True:
        with transaction.atomic():
            batch = list(
                Status.objects.filter(account=profile)
                .order_by("-id")  # replies before the posts they answer
                .values_list("pk", "in_reply_to_id", "reblog_of_id")[:BATCH]
            )
            if not batch:
                return
            statuses_delete([pk for pk, _parent, _original in batch])
            counts_recount(pk for _pk, parent, original in batch for pk in (parent, original))


def _favourites_delete(profile: Profile) -> None:
    while True:
        with transaction.atomic():
            batch = list(
                Favourite.objects.filter(account=profile).values_list("pk", "status_id")[:BATCH]
            )
            if not batch:
                return
            Favourite.objects.filter(pk__in=[pk for pk, _status in batch]).delete()
            counts_recount(status_id for _pk, status_id in batch)


@deletion_part(name="posts", order=100)
def posts_delete(user: User) -> None:
    """The teacher's posts (with their edits, and others' reshares, favourites and
    bookmarks of them), their reshares, favourites, bookmarks and conversation mutes; the
    counters on the posts they replied to, reshared or favourited go down with them.
    Replies others wrote to their posts stay, no longer pointing at a parent. Idempotent."""
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return
    _statuses_delete(profile)
    _favourites_delete(profile)
    Bookmark.objects.filter(account=profile).delete()
    ConversationMute.objects.filter(account=profile).delete()
