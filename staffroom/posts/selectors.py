"""Reads of posts for a viewer (a Profile, or None for someone signed out).

Who may see a post is decided in one place, `staffroom.posts.audience` (the rule in SQL,
`visible_statuses`, and in Python, `visible_among`); every route, page, export and feed
here reads through it, so a post someone may not see is answered exactly as one that does
not exist (SECURITY-PLAN P-3).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet

from staffroom.core.exceptions import NotFound
from staffroom.core.hashtags import normalize_tag
from staffroom.core.ids import id_or_not_found
from staffroom.graph.selectors import paginate, profiles_visible_to
from staffroom.media.selectors import has_media
from staffroom.posts.audience import can_see, listed_q, visible_among, visible_statuses
from staffroom.posts.counters import COUNTED_VISIBILITIES
from staffroom.posts.models import (
    TAG_NAME_MAX_LENGTH,
    Bookmark,
    ConversationMute,
    Favourite,
    Status,
)
from staffroom.profiles.models import Profile
from staffroom.profiles.stats import stats_for

# The rule lives in posts/audience.py; these names stay importable from here, where every
# reader of posts looks for them.
__all__ = ["can_see", "visible_among", "visible_statuses"]

NOT_FOUND = "Record not found"
ID_MAX = 2**63 - 1
# A context answer reads at most this many posts of one conversation.
THREAD_READ_MAX = 4000
TAG_NAME_RE = re.compile(rf"\w{{1,{TAG_NAME_MAX_LENGTH}}}")


def is_tag_name(name: str) -> bool:
    """Whether `name` could be a hashtag at all: letters, digits and underscores, at most
    TAG_NAME_MAX_LENGTH of them."""
    return bool(TAG_NAME_RE.fullmatch(name))


parse_status_id = id_or_not_found  # one rule for ids everywhere (core/ids.py)


def status_get_for_viewer(status_id: object, viewer: Profile | None) -> Status:
    """The status as `viewer` may see it; NotFound ("Record not found") otherwise, the same
    answer as for an id that never existed."""
    status = visible_statuses(viewer).filter(pk=parse_status_id(status_id)).first()
    if status is None:
        raise NotFound(NOT_FOUND)
    return status


@dataclass(frozen=True)
class Context:
    """A post's conversation: the posts above it (oldest first) and below it (in reply
    order, depth first), each only if the viewer may see it."""

    ancestors: list[Status]
    descendants: list[Status]


def status_context(status: Status, viewer: Profile | None) -> Context:
    """Three queries whatever the depth: the thread's shape, then the visible posts."""
    shape = dict(
        Status.objects.filter(thread_id=status.thread_id, reblog_of__isnull=True)
        .order_by("id")
        .values_list("id", "in_reply_to_id")[:THREAD_READ_MAX]
    )
    children: dict[int, list[int]] = defaultdict(list)
    for status_id, parent_id in shape.items():
        if parent_id is not None:
            children[parent_id].append(status_id)
    ancestor_ids: list[int] = []
    parent = status.in_reply_to_id
    while parent is not None and parent in shape and parent not in ancestor_ids:
        ancestor_ids.append(parent)
        parent = shape[parent]
    ancestor_ids.reverse()
    descendant_ids: list[int] = []
    stack = list(reversed(children.get(status.pk, [])))
    while stack:
        current = stack.pop()
        descendant_ids.append(current)
        stack.extend(reversed(children.get(current, [])))
    visible = visible_statuses(viewer).in_bulk([*ancestor_ids, *descendant_ids])
    return Context(
        ancestors=[visible[pk] for pk in ancestor_ids if pk in visible],
        descendants=[visible[pk] for pk in descendant_ids if pk in visible],
    )


def account_statuses(
    *,
    account: Profile,
    viewer: Profile | None,
    limit: int = 20,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    exclude_replies: bool = False,
    exclude_reblogs: bool = False,
    only_media: bool = False,
    pinned: bool = False,
    tagged: str | None = None,
) -> list[Status]:
    """A profile's posts as `viewer` may see them, newest first. `exclude_replies` keeps
    replies to the author's own posts (threads), as Mastodon does; `only_media` keeps their
    own posts with attachments (the profile's Media tab). Pinned posts come newest pin
    first, one page."""
    statuses = visible_statuses(viewer).filter(account=account)
    if only_media:
        statuses = statuses.filter(has_media(), reblog_of__isnull=True)
    if pinned:
        return list(statuses.filter(pinned_at__isnull=False).order_by("-pinned_at")[:limit])
    if exclude_replies:
        statuses = statuses.filter(Q(in_reply_to_id__isnull=True) | Q(in_reply_to_account=account))
    if exclude_reblogs:
        statuses = statuses.filter(reblog_of__isnull=True)
    if tagged:
        if not is_tag_name(tagged):
            return []
        statuses = statuses.filter(tags__normalized=normalize_tag(tagged))
    return paginate(statuses, limit=limit, max_id=max_id, since_id=since_id, min_id=min_id)


@dataclass(frozen=True)
class MarkedStatus:
    """A row of a bookmarks or favourites page: the mark's id (the cursor Mastodon's Link
    headers use) and the post."""

    id: int
    status: Status


def _marked(
    rows: QuerySet[Bookmark] | QuerySet[Favourite],
    viewer: Profile,
    *,
    limit: int,
    max_id: int | None,
    since_id: int | None,
    min_id: int | None,
) -> list[MarkedStatus]:
    rows = rows.filter(account=viewer, status__in=visible_statuses(viewer))
    page = paginate(rows, limit=limit, max_id=max_id, since_id=since_id, min_id=min_id)
    statuses = visible_statuses(viewer).in_bulk([row.status_id for row in page])
    return [MarkedStatus(row.pk, statuses[row.status_id]) for row in page]


def bookmarks_of(
    viewer: Profile,
    *,
    limit: int = 20,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
) -> list[MarkedStatus]:
    """The viewer's bookmarks, newest bookmark first, still visible to them."""
    return _marked(
        Bookmark.objects.all(),
        viewer,
        limit=limit,
        max_id=max_id,
        since_id=since_id,
        min_id=min_id,
    )


def favourites_of(
    viewer: Profile,
    *,
    limit: int = 20,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
) -> list[MarkedStatus]:
    """The viewer's favourites, newest first, still visible to them."""
    return _marked(
        Favourite.objects.all(),
        viewer,
        limit=limit,
        max_id=max_id,
        since_id=since_id,
        min_id=min_id,
    )


@dataclass(frozen=True)
class AccountEdge:
    id: int
    profile: Profile


def _who(
    rows: QuerySet[Any],
    viewer: Profile | None,
    *,
    limit: int,
    max_id: int | None,
    since_id: int | None,
    min_id: int | None,
) -> list[AccountEdge]:
    rows = rows.filter(account__in=profiles_visible_to(viewer)).select_related("account__user")
    page = paginate(rows, limit=limit, max_id=max_id, since_id=since_id, min_id=min_id)
    return [AccountEdge(row.pk, row.account) for row in page]


def favourited_by(
    status: Status,
    viewer: Profile | None,
    *,
    limit: int = 40,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
) -> list[AccountEdge]:
    """Who favourited `status` (already checked visible), minus accounts hidden from the
    viewer; paginated by favourite id."""
    return _who(
        Favourite.objects.filter(status=status),
        viewer,
        limit=limit,
        max_id=max_id,
        since_id=since_id,
        min_id=min_id,
    )


def reblogged_by(
    status: Status,
    viewer: Profile | None,
    *,
    limit: int = 40,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
) -> list[AccountEdge]:
    """Who reshared `status` publicly or unlisted, as favourited_by; paginated by the
    reshare's id. A followers-only or removed reshare is left out, for everyone, as on
    Mastodon: `reblogs_count` counts the same reshares (`posts.counters`)."""
    return _who(
        Status.objects.filter(
            reblog_of=status,
            visibility__in=sorted(COUNTED_VISIBILITIES),
            removed_at__isnull=True,
        ),
        viewer,
        limit=limit,
        max_id=max_id,
        since_id=since_id,
        min_id=min_id,
    )


@dataclass(frozen=True)
class ViewerMarks:
    """What the viewer did to a page of posts, for `favourited`, `reblogged`, `bookmarked`
    and `muted` (four queries for the whole page)."""

    favourited: frozenset[int] = frozenset()
    reblogged: frozenset[int] = frozenset()
    bookmarked: frozenset[int] = frozenset()
    # Threads (`Status.thread_id`) whose notifications the viewer muted, for `muted`.
    muted_threads: frozenset[int] = frozenset()


def viewer_marks(
    viewer: Profile | None, status_ids: list[int], *, muted: bool = True
) -> ViewerMarks:
    """The viewer's marks on `status_ids`; without `muted`, the muted conversations are not
    read (web pages do not show them: one query fewer)."""
    if viewer is None or not status_ids:
        return ViewerMarks()
    return ViewerMarks(
        favourited=frozenset(
            Favourite.objects.filter(account=viewer, status_id__in=status_ids).values_list(
                "status_id", flat=True
            )
        ),
        reblogged=frozenset(
            Status.objects.filter(account=viewer, reblog_of_id__in=status_ids).values_list(
                "reblog_of_id", flat=True
            )
        ),
        bookmarked=frozenset(
            Bookmark.objects.filter(account=viewer, status_id__in=status_ids).values_list(
                "status_id", flat=True
            )
        ),
        muted_threads=frozenset(
            ConversationMute.objects.filter(
                account=viewer,
                thread_id__in=Status.objects.filter(pk__in=status_ids).values("thread_id"),
            ).values_list("thread_id", flat=True)
        )
        if muted
        else frozenset(),
    )


def viewer_marks_for(viewer_ids: Collection[int], status_ids: list[int]) -> dict[int, ViewerMarks]:
    """`viewer_marks` for many viewers at once (four queries in all): each viewer's
    favourites, reshares, bookmarks and muted threads among `status_ids`, by viewer id
    (every id present)."""
    marks: dict[int, dict[str, set[int]]] = {
        pk: {"favourited": set(), "reblogged": set(), "bookmarked": set(), "muted_threads": set()}
        for pk in viewer_ids
    }
    if not marks or not status_ids:
        return {pk: ViewerMarks() for pk in marks}
    readers = list(marks)
    rows = {
        "favourited": Favourite.objects.filter(
            account_id__in=readers, status_id__in=status_ids
        ).values_list("account_id", "status_id"),
        "reblogged": Status.objects.filter(
            account_id__in=readers, reblog_of_id__in=status_ids
        ).values_list("account_id", "reblog_of_id"),
        "bookmarked": Bookmark.objects.filter(
            account_id__in=readers, status_id__in=status_ids
        ).values_list("account_id", "status_id"),
        "muted_threads": ConversationMute.objects.filter(
            account_id__in=readers,
            thread_id__in=Status.objects.filter(pk__in=status_ids).values("thread_id"),
        ).values_list("account_id", "thread_id"),
    }
    for kind, pairs in rows.items():
        for account_id, status_id in pairs:
            marks[account_id][kind].add(status_id)
    return {
        pk: ViewerMarks(
            favourited=frozenset(found["favourited"]),
            reblogged=frozenset(found["reblogged"]),
            bookmarked=frozenset(found["bookmarked"]),
            muted_threads=frozenset(found["muted_threads"]),
        )
        for pk, found in marks.items()
    }


def local_posts_per_week(starts: list[datetime]) -> list[int]:
    """Posts and replies written on this server in each week starting at `starts[i]`
    (reshares not counted), for the instance's activity. One query."""
    aggregates = {
        f"week{index}": Count(
            "pk", filter=Q(created_at__gte=start, created_at__lt=start + timedelta(days=7))
        )
        for index, start in enumerate(starts)
    }
    if not aggregates:
        return []
    found = Status.objects.filter(account__domain="", reblog_of__isnull=True).aggregate(
        **aggregates
    )
    return [found[f"week{index}"] for index in range(len(starts))]


def is_conversation_muted(account_id: int, thread_id: int) -> bool:
    """Whether the teacher `account_id` muted the conversation `thread_id`. One query."""
    return ConversationMute.objects.filter(account_id=account_id, thread_id=thread_id).exists()


def status_counts_for(profile_ids: list[int]) -> dict[int, tuple[int, datetime | None]]:
    """`(statuses_count, last_status_at)` per profile, for Account entities, from
    `profiles.ProfileStats` (one query). Direct messages are not counted, as on Mastodon."""
    stats = stats_for(profile_ids)
    return {pk: (row.statuses_count, row.last_status_at) for pk, row in stats.items()}


def _tag_keys(names: Sequence[str]) -> list[str]:
    """The normal forms of those of `names` that can be hashtags (the others match no post)."""
    keys = (normalize_tag(name) for name in names if is_tag_name(name.strip().removeprefix("#")))
    return list(dict.fromkeys(key for key in keys if key))


def _carrying(keys: list[str]) -> QuerySet[Any]:
    """Ids of posts carrying any of the hashtags `keys` (normal forms), as a subquery."""
    return Status.tags.through.objects.filter(tag__normalized__in=keys).values("status_id")


def public_timeline_q() -> Q:
    """The posts the public and hashtag timelines may list, whoever looks: listed ones
    (`audience.listed_q`), never a reshare, never by an account a moderator limited. Who may
    see each is still `visible_statuses`' answer."""
    return listed_q() & Q(reblog_of__isnull=True, account__limited_at__isnull=True)


def tagged_statuses(
    name: str,
    viewer: Profile | None = None,
    *,
    limit: int = 20,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    only_media: bool = False,
    any_tags: Sequence[str] = (),
    all_tags: Sequence[str] = (),
    none_tags: Sequence[str] = (),
) -> list[Status]:
    """Public posts carrying hashtag `name` (matched by its normalised form), newest first.
    Only public ones: unlisted, followers-only, connections-only and direct posts never
    appear under a hashtag, whoever looks; nor do posts of an account a moderator limited.
    `only_media` keeps those with attachments. As Mastodon's tag timeline: `any_tags` also
    takes posts with any of those hashtags, `all_tags` keeps posts that carry every one of
    them too, `none_tags` leaves out posts with any of them (names that cannot be hashtags
    are ignored there)."""
    if not is_tag_name(name):
        return []  # no post can carry it (and PostgreSQL refuses a NUL in a query)
    wanted = list(dict.fromkeys([normalize_tag(name), *_tag_keys(any_tags)]))
    statuses = visible_statuses(viewer).filter(public_timeline_q())
    if len(wanted) == 1:  # the common case: a join, as before
        statuses = statuses.filter(tags__normalized=wanted[0])
    else:
        statuses = statuses.filter(pk__in=_carrying(wanted))
    for key in _tag_keys(all_tags):
        statuses = statuses.filter(pk__in=_carrying([key]))
    if excluded := _tag_keys(none_tags):
        statuses = statuses.exclude(pk__in=_carrying(excluded))
    if only_media:
        statuses = statuses.filter(has_media())
    return paginate(statuses, limit=limit, max_id=max_id, since_id=since_id, min_id=min_id)
