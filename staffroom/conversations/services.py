"""Writes of conversations: keeping each teacher's rows in step with the direct posts
(called by `subscribers.py` in the transaction of the post's own write), marking one read
and deleting one for its owner.

A row is always recomputed from the posts (`conversation_refresh`): the thread's direct
posts the owner may see now (`posts.selectors.visible_statuses`: removed posts, authors
not in good standing and blocks either way are left out), the newest of them as
`last_status` and the other people in them as participants. Nothing is counted or kept
that the posts do not say, so running a refresh twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from staffroom.conversations.models import Conversation
from staffroom.core.exceptions import NotFound
from staffroom.core.ids import id_or_not_found
from staffroom.graph.selectors import muted_ids_for
from staffroom.posts.models import Mention, Status, Visibility
from staffroom.posts.selectors import visible_statuses
from staffroom.profiles.models import Profile

NOT_FOUND = "Record not found"
# A refresh reads at most this many posts of one thread (newest first) for participants.
THREAD_READ_MAX = 1000


def _direct_posts(owner: Profile, thread_id: int) -> list[tuple[int, int]]:
    """(id, author id) of the thread's direct posts `owner` may see, newest first."""
    return list(
        visible_statuses(owner)
        .filter(thread_id=thread_id, visibility=Visibility.DIRECT, reblog_of__isnull=True)
        .order_by("-id")
        .values_list("pk", "account_id")[:THREAD_READ_MAX]
    )


@transaction.atomic
def conversation_refresh(
    *, owner: Profile, thread_id: int, create: bool = False, unread: bool | None = None
) -> Conversation | None:
    """Recompute `owner`'s row for the thread from the posts; returns it, or None when the
    owner may see no direct post of the thread any more (the row, if any, is deleted).

    `create`: make the row when missing (a new post; a refresh after a deletion never
    brings back a row its owner deleted). `unread`: set the flag (None keeps it; a new
    row starts read). Atomic, the row locked until the caller's transaction ends; it writes
    only conversation rows."""
    posts = _direct_posts(owner, thread_id)
    if not posts:
        Conversation.objects.filter(owner=owner, thread_id=thread_id).delete()
        return None
    ids = [pk for pk, _author in posts]
    row = Conversation.objects.select_for_update().filter(owner=owner, thread_id=thread_id).first()
    if row is None:
        if not create:
            return None
        # Two posts of a new thread at once: the second finds the first's row (a savepoint
        # catches the unique constraint) instead of failing its post.
        row, _made = Conversation.objects.get_or_create(
            owner=owner, thread_id=thread_id, defaults={"last_status_id": ids[0]}
        )
    mentioned = Mention.objects.filter(status_id__in=ids).values_list("profile_id", flat=True)
    others = ({author for _pk, author in posts} | set(mentioned)) - {owner.pk}
    row.last_status_id = ids[0]
    if unread is not None:
        row.is_unread = unread
    row.save()
    row.participants.set(sorted(others))
    return row


def _local_owners(profile_ids: Iterable[int]) -> list[Profile]:
    """The local accounts among `profile_ids` (only they read conversations here)."""
    return list(Profile.objects.filter(pk__in=set(profile_ids), domain="").order_by("pk"))


def _shuts_out(owner: Profile, author_id: int) -> bool:
    """Whether a new post of `author_id` stays out of `owner`'s conversations because the
    owner mutes its author (Mastodon drops the notification, and the conversation update
    with it). A block either way already hides the post itself."""
    return owner.pk != author_id and author_id in muted_ids_for(owner)


def conversations_add_status(status: Status) -> list[Conversation]:
    """A new direct post: the rows of its author and of each local account it mentions are
    refreshed (made when missing), unread for everyone but the author, whose own post
    marks the conversation read (as Mastodon). Skipped for a recipient who blocked or
    muted the author, or who cannot see the post. Returns the rows written."""
    if status.visibility != Visibility.DIRECT or status.reblog_of_id is not None:
        return []
    mentioned = Mention.objects.filter(status=status).values_list("profile_id", flat=True)
    written = []
    for owner in _local_owners([status.account_id, *mentioned]):
        if _shuts_out(owner, status.account_id):
            continue
        if not visible_statuses(owner).filter(pk=status.pk).exists():
            continue
        row = conversation_refresh(
            owner=owner,
            thread_id=status.thread_id,
            create=True,
            unread=owner.pk != status.account_id,
        )
        if row is not None:
            written.append(row)
    return written


def conversations_restore_status(status: Status) -> None:
    """A direct post a moderator brought back: its people's rows are refreshed (made again
    when the post was the thread's only one), their read flags kept."""
    if status.visibility != Visibility.DIRECT or status.reblog_of_id is not None:
        return
    mentioned = Mention.objects.filter(status=status).values_list("profile_id", flat=True)
    for owner in _local_owners([status.account_id, *mentioned]):
        conversation_refresh(owner=owner, thread_id=status.thread_id, create=True)


def _refresh_rows(rows: Iterable[Conversation]) -> None:
    for row in rows:
        conversation_refresh(owner=row.owner, thread_id=row.thread_id)


def conversations_forget_status(*, owner_ids: Iterable[int], status_id: int | None) -> None:
    """A direct post went (deleted: `status_id` None, its rows' `last_status` already
    cleared by the deletion) or was removed by a moderator: the rows of `owner_ids` that
    showed it fall back to the previous post the owner may see, or go."""
    rows = Conversation.objects.filter(owner_id__in=set(owner_ids)).select_related("owner")
    if status_id is None:
        rows = rows.filter(last_status__isnull=True)
    else:
        rows = rows.filter(last_status_id=status_id)
    _refresh_rows(list(rows))


def conversations_between_refresh(first_id: int, second_id: int) -> None:
    """A block between two accounts was made or lifted: the rows of each that name the
    other are refreshed (the other's posts leave them, or come back)."""
    rows = Conversation.objects.filter(
        owner_id=first_id, participants=second_id
    ) | Conversation.objects.filter(owner_id=second_id, participants=first_id)
    _refresh_rows(list(rows.select_related("owner").distinct()))


def conversations_naming_refresh(profile_id: int) -> None:
    """An account's standing changed (suspended, or back): every row that names it is
    refreshed (its posts leave them, or come back)."""
    rows = Conversation.objects.filter(participants=profile_id).select_related("owner")
    _refresh_rows(list(rows.distinct()))


@transaction.atomic
def conversations_rebuild() -> int:
    """Rebuild every local account's rows from the direct posts (after a bulk load, and
    for installations that had direct posts before conversations existed). Rows already
    there keep their read flag; new ones start read. Returns how many rows there are."""
    threads = (
        Status.objects.filter(visibility=Visibility.DIRECT, reblog_of__isnull=True)
        .values_list("thread_id", "account_id", "mention_rows__profile_id")
        .distinct()
    )
    wanted: dict[int, set[int]] = {}
    for thread_id, author_id, mentioned_id in threads:
        people = wanted.setdefault(thread_id, set())
        people.add(author_id)
        if mentioned_id is not None:
            people.add(mentioned_id)
    local = set(Profile.objects.filter(domain="").values_list("pk", flat=True))
    owners = {profile.pk: profile for profile in Profile.objects.filter(pk__in=local)}
    count = 0
    for thread_id, people in sorted(wanted.items()):
        for owner_id in sorted(people & local):
            row = conversation_refresh(owner=owners[owner_id], thread_id=thread_id, create=True)
            count += row is not None
    return count


def _own_row(owner: Profile, conversation_id: object) -> Conversation:
    row = (
        Conversation.objects.select_for_update()
        .filter(owner=owner, pk=id_or_not_found(conversation_id))
        .first()
    )
    if row is None:
        raise NotFound(NOT_FOUND)
    return row


@transaction.atomic
def conversation_mark_read(*, owner: Profile, conversation_id: object) -> Conversation:
    """Mark one of `owner`'s conversations read. Raises NotFound ("Record not found") for
    another teacher's, an unknown or a malformed id."""
    row = _own_row(owner, conversation_id)
    if row.is_unread:
        row.is_unread = False
        row.save(update_fields=["is_unread", "updated_at"])
    return row


@transaction.atomic
def conversation_delete(*, owner: Profile, conversation_id: object) -> None:
    """Remove one of `owner`'s conversations for them only (the posts and the other
    people's rows stay; a new post in the thread brings it back). Raises NotFound as
    `conversation_mark_read`."""
    _own_row(owner, conversation_id).delete()


def conversations_delete_owned(owner: Profile) -> int:
    """Every row of `owner` (their account is being deleted). Returns how many went."""
    deleted, _kinds = Conversation.objects.filter(owner=owner).delete()
    return deleted
