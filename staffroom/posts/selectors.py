"""Reads of posts for a viewer (a Profile, or None for someone signed out).

`visible_statuses` is the one place that decides who may see a post; every route, page,
export and (later) feed reads through it, so a post someone may not see is answered exactly
as one that does not exist (SECURITY-PLAN P-3):

- public and unlisted posts: anyone;
- followers-only: the author, accepted followers (a pending request is not enough) and the
  people mentioned;
- connections-only: the author, accepted connections and the people mentioned;
- direct: the author and the people mentioned;
- never a post a moderator removed, nor one whose author is not in good standing (a
  suspended account's user is inactive) or is on either side of a block with the viewer;
  a reshare also needs its original to pass the same test.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from staffroom.accounts.models import ApprovalState
from staffroom.core.exceptions import NotFound
from staffroom.core.ids import id_or_not_found
from staffroom.graph.models import Block, Connection, ConnectionState, Follow
from staffroom.graph.selectors import paginate
from staffroom.posts.models import (
    OPEN_VISIBILITIES,
    TAG_NAME_MAX_LENGTH,
    Bookmark,
    Favourite,
    Mention,
    Status,
    Visibility,
)
from staffroom.profiles.models import Profile
from staffroom.profiles.stats import stats_for

NOT_FOUND = "Record not found"
ID_MAX = 2**63 - 1
# A context answer reads at most this many posts of one conversation.
THREAD_READ_MAX = 4000
TAG_NAME_RE = re.compile(rf"\w{{1,{TAG_NAME_MAX_LENGTH}}}")


def _authors_visible_to(viewer: Profile | None) -> QuerySet[Profile]:
    authors = Profile.objects.in_good_standing()
    if viewer is not None:
        authors = authors.exclude(
            pk__in=Block.objects.filter(blocked=viewer).values("blocker_id")
        ).exclude(pk__in=Block.objects.filter(blocker=viewer).values("blocked_id"))
    return authors


def _audience_q(viewer: Profile | None, prefix: str = "") -> Q:
    """Posts whose visibility lets `viewer` read them (authors are checked separately)."""
    open_posts = Q(**{f"{prefix}visibility__in": OPEN_VISIBILITIES})
    if viewer is None:
        return open_posts
    followed = Follow.objects.filter(follower=viewer).values("followee_id")
    connected = Connection.objects.filter(state=ConnectionState.ACCEPTED)
    return (
        open_posts
        | Q(**{f"{prefix}account": viewer})
        | Q(**{f"{prefix}pk__in": Mention.objects.filter(profile=viewer).values("status_id")})
        | Q(**{f"{prefix}visibility": Visibility.FOLLOWERS, f"{prefix}account__in": followed})
        | Q(
            **{f"{prefix}visibility": Visibility.CONNECTIONS},
            **{f"{prefix}account__in": connected.filter(requester=viewer).values("addressee_id")},
        )
        | Q(
            **{f"{prefix}visibility": Visibility.CONNECTIONS},
            **{f"{prefix}account__in": connected.filter(addressee=viewer).values("requester_id")},
        )
    )


def _author_allowed_q(viewer: Profile | None, prefix: str = "") -> Q:
    """The author of a post (at `prefix`) is in good standing and on neither side of a
    block with the viewer. Standing is a condition on the joined rows, not a list of every
    author: as `account IN (all good authors)` the planner would walk that list (SQLite
    probed the posts index once per author) instead of the few ids a page asks for."""
    account = f"{prefix}account"
    allowed = Q(**{f"{account}__domain__gt": ""}) | Q(
        **{
            f"{account}__user__is_active": True,
            f"{account}__user__approval": ApprovalState.APPROVED,
        }
    )
    if viewer is not None:
        allowed &= ~Q(
            **{f"{account}_id__in": Block.objects.filter(blocked=viewer).values("blocker_id")}
        )
        allowed &= ~Q(
            **{f"{account}_id__in": Block.objects.filter(blocker=viewer).values("blocked_id")}
        )
    return allowed


def is_tag_name(name: str) -> bool:
    """Whether `name` could be a hashtag at all: letters, digits and underscores, at most
    TAG_NAME_MAX_LENGTH of them."""
    return bool(TAG_NAME_RE.fullmatch(name))


def visible_statuses(viewer: Profile | None) -> QuerySet[Status]:
    """Every status `viewer` may see (see the module docstring), author loaded."""
    return (
        Status.objects.filter(removed_at__isnull=True)
        .filter(_author_allowed_q(viewer))
        .filter(_audience_q(viewer))
        .filter(
            Q(reblog_of__isnull=True)
            | (
                Q(reblog_of__removed_at__isnull=True)
                & _author_allowed_q(viewer, "reblog_of__")
                & _audience_q(viewer, "reblog_of__")
            )
        )
        .select_related("account__user", "reblog_of__account__user")
    )


def visible_among(viewer: Profile | None, ids: Collection[int]) -> dict[int, Status]:
    """The posts of `ids` that `viewer` may see, by id, authors loaded: `visible_statuses`'
    rule, evaluated on the loaded rows instead of in SQL.

    For pages whose ids already passed the rule once (a stored feed's rows, written by
    fan-out) and only need it re-checked against what changed since: building
    `visible_statuses`' SQL (a dozen subqueries, for the post and for a reshared original)
    cost more CPU than everything else a feed page does. Here it is one plain query for the
    rows, then up to four small reads bounded by the page (blocks, follows and connections with
    the page's authors, mentions of the viewer in the page's posts); none for a signed-out
    viewer. tests/posts/test_visibility.py holds both forms to the same answers."""
    if not ids:
        return {}
    rows = Status.objects.select_related("account__user", "reblog_of__account__user").in_bulk(
        list(ids)
    )
    statuses = list(rows.values())
    originals = [status.reblog_of for status in statuses if status.reblog_of is not None]
    facts = _ViewerFacts.read(viewer, [*statuses, *originals])
    return {
        pk: status
        for pk, status in rows.items()
        if facts.may_see(status) and (status.reblog_of is None or facts.may_see(status.reblog_of))
    }


@dataclass(frozen=True)
class _ViewerFacts:
    """What `visible_among` needs to know about the viewer and a page's authors."""

    viewer_id: int | None
    blocked_either_way: frozenset[int] = frozenset()
    followed: frozenset[int] = frozenset()
    connected: frozenset[int] = frozenset()
    mentioned_in: frozenset[int] = frozenset()

    @classmethod
    def read(cls, viewer: Profile | None, statuses: list[Status]) -> _ViewerFacts:
        """Each read only when the page has a post it could decide: a page of public posts
        costs the block read alone."""
        if viewer is None:
            return cls(viewer_id=None)
        others = [status for status in statuses if status.account_id != viewer.pk]
        authors = {status.account_id for status in others}
        if not authors:
            return cls(viewer_id=viewer.pk)
        closed = [status for status in others if status.visibility not in OPEN_VISIBILITIES]
        wanted = {status.visibility for status in closed}
        return cls(
            viewer_id=viewer.pk,
            blocked_either_way=_blocked_either_way(viewer, authors),
            followed=_followed_among(viewer, authors)
            if Visibility.FOLLOWERS in wanted
            else frozenset(),
            connected=_connected_among(viewer, authors)
            if Visibility.CONNECTIONS in wanted
            else frozenset(),
            mentioned_in=frozenset(
                Mention.objects.filter(
                    profile=viewer, status_id__in=[status.pk for status in closed]
                ).values_list("status_id", flat=True)
            )
            if closed
            else frozenset(),
        )

    def may_see(self, status: Status) -> bool:
        if status.removed_at is not None:
            return False
        author = status.account
        if author.domain == "" and not (
            author.user is not None
            and author.user.is_active
            and author.user.approval == ApprovalState.APPROVED
        ):
            return False
        if author.pk in self.blocked_either_way:
            return False
        if status.visibility in OPEN_VISIBILITIES:
            return True
        if self.viewer_id is None:
            return False
        if author.pk == self.viewer_id or status.pk in self.mentioned_in:
            return True
        if status.visibility == Visibility.FOLLOWERS:
            return author.pk in self.followed
        if status.visibility == Visibility.CONNECTIONS:
            return author.pk in self.connected
        return False


def _blocked_either_way(viewer: Profile, authors: set[int]) -> frozenset[int]:
    pairs = Block.objects.filter(
        Q(blocker=viewer, blocked_id__in=authors) | Q(blocked=viewer, blocker_id__in=authors)
    ).values_list("blocker_id", "blocked_id")
    return frozenset(pk for pair in pairs for pk in pair) - {viewer.pk}


def _followed_among(viewer: Profile, authors: set[int]) -> frozenset[int]:
    return frozenset(
        Follow.objects.filter(follower=viewer, followee_id__in=authors).values_list(
            "followee_id", flat=True
        )
    )


def _connected_among(viewer: Profile, authors: set[int]) -> frozenset[int]:
    pairs = Connection.objects.filter(
        Q(requester=viewer, addressee_id__in=authors)
        | Q(addressee=viewer, requester_id__in=authors),
        state=ConnectionState.ACCEPTED,
    ).values_list("requester_id", "addressee_id")
    return frozenset(pk for pair in pairs for pk in pair) - {viewer.pk}


parse_status_id = id_or_not_found  # one rule for ids everywhere (core/ids.py)


def status_get_for_viewer(status_id: object, viewer: Profile | None) -> Status:
    """The status as `viewer` may see it; NotFound ("Record not found") otherwise, the same
    answer as for an id that never existed."""
    status = visible_statuses(viewer).filter(pk=parse_status_id(status_id)).first()
    if status is None:
        raise NotFound(NOT_FOUND)
    return status


def can_see(viewer: Profile | None, status: Status) -> bool:
    return visible_statuses(viewer).filter(pk=status.pk).exists()


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
    replies to the author's own posts (threads), as Mastodon does; `only_media` is empty
    until posts carry media. Pinned posts come newest pin first, one page."""
    statuses = visible_statuses(viewer).filter(account=account)
    if only_media:
        return []
    if pinned:
        return list(statuses.filter(pinned_at__isnull=False).order_by("-pinned_at")[:limit])
    if exclude_replies:
        statuses = statuses.filter(Q(in_reply_to_id__isnull=True) | Q(in_reply_to_account=account))
    if exclude_reblogs:
        statuses = statuses.filter(reblog_of__isnull=True)
    if tagged:
        if not is_tag_name(tagged):
            return []
        statuses = statuses.filter(tags__name__iexact=tagged)
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
    rows = rows.filter(account__in=_authors_visible_to(viewer)).select_related("account__user")
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
    """Who reshared `status`, as favourited_by; paginated by the reshare's id."""
    return _who(
        Status.objects.filter(reblog_of=status),
        viewer,
        limit=limit,
        max_id=max_id,
        since_id=since_id,
        min_id=min_id,
    )


@dataclass(frozen=True)
class ViewerMarks:
    """What the viewer did to a page of posts, for `favourited`, `reblogged`, `bookmarked`
    (three queries for the whole page)."""

    favourited: frozenset[int] = frozenset()
    reblogged: frozenset[int] = frozenset()
    bookmarked: frozenset[int] = frozenset()


def viewer_marks(viewer: Profile | None, status_ids: list[int]) -> ViewerMarks:
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
    )


def status_counts_for(profile_ids: list[int]) -> dict[int, tuple[int, datetime | None]]:
    """`(statuses_count, last_status_at)` per profile, for Account entities, from
    `profiles.ProfileStats` (one query). Direct messages are not counted, as on Mastodon."""
    stats = stats_for(profile_ids)
    return {pk: (row.statuses_count, row.last_status_at) for pk, row in stats.items()}


def tagged_statuses(
    name: str,
    viewer: Profile | None = None,
    *,
    limit: int = 20,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
) -> list[Status]:
    """Public posts carrying hashtag `name` (matched case-insensitively), newest first.
    Only public ones: unlisted, followers-only, connections-only and direct posts never
    appear under a hashtag, whoever looks; nor do posts of an account a moderator limited."""
    if not is_tag_name(name):
        return []  # no post can carry it (and PostgreSQL refuses a NUL in a query)
    statuses = visible_statuses(viewer).filter(
        visibility=Visibility.PUBLIC,
        reblog_of__isnull=True,
        tags__name__iexact=name,
        account__limited_at__isnull=True,
    )
    return paginate(statuses, limit=limit, max_id=max_id, since_id=since_id, min_id=min_id)
