"""Reads of the social graph for a viewer (a Profile, or None for an anonymous one).

Every interface asks these functions: relationships, follower and following pages, the ids
feeds leave out, and the one block rule (`blocked_either_way_q` in SQL, `blocked_ids_for` in
Python) with the profiles a viewer may see (`profiles_visible_to`) built on it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from staffroom.core.exceptions import NotFound
from staffroom.graph.models import (
    AccountNote,
    Block,
    Connection,
    ConnectionState,
    DomainBlock,
    Follow,
    FollowRequest,
    Mute,
    PurposeList,
    PurposeListMember,
)
from staffroom.profiles.models import Profile, ProfileQuerySet
from staffroom.profiles.stats import stats_for

_Row = TypeVar("_Row", bound=Model)
NOT_FOUND = "Record not found"
PAGE_LIMIT_MAX = 80  # Mastodon's limit for follower and following pages


def _blocked_either_way_q(field: str, blocked: dict[str, object], blocker: dict[str, object]) -> Q:
    return Q(**{f"{field}__in": Block.objects.filter(**blocked).values("blocker_id")}) | Q(
        **{f"{field}__in": Block.objects.filter(**blocker).values("blocked_id")}
    )


def blocked_either_way_q(viewer: Profile | int, field: str = "pk") -> Q:
    """The block rule in SQL: rows whose profile at `field` (`pk` on profiles, `account`
    on posts and notifications, `follower`...) blocks `viewer` (a profile or its id) or is
    blocked by them. Use it negated (`.exclude(...)`, `~...`): neither side of a block sees
    the other. Two indexed subqueries, no extra query and no list of ids in Python.
    `blocked_ids_for` is the same rule in Python."""
    pk = viewer if isinstance(viewer, int) else viewer.pk
    return _blocked_either_way_q(field, {"blocked_id": pk}, {"blocker_id": pk})


def blocked_ids_for(viewer: Profile | int, among: Collection[int] | None = None) -> set[int]:
    """Ids of profiles on either side of a block with `viewer` (a profile or its id), only
    those in `among` when given (a page's authors). One query; for the few blocks one
    account holds, or a page's worth of ids. `blocked_either_way_q` is the SQL form."""
    pk = viewer if isinstance(viewer, int) else viewer.pk
    if among is None:
        pairs = Block.objects.filter(Q(blocker_id=pk) | Q(blocked_id=pk))
    else:
        pairs = Block.objects.filter(
            Q(blocker_id=pk, blocked_id__in=among) | Q(blocked_id=pk, blocker_id__in=among)
        )
    return {
        blocked if blocker == pk else blocker
        for blocker, blocked in pairs.values_list("blocker_id", "blocked_id")
    }


def is_blocked_either_way(first: Profile | int, second: Profile | int) -> bool:
    """Whether either of two profiles blocks the other. One query."""
    first_pk = first if isinstance(first, int) else first.pk
    second_pk = second if isinstance(second, int) else second.pk
    return Block.objects.filter(
        Q(blocker_id=first_pk, blocked_id=second_pk) | Q(blocker_id=second_pk, blocked_id=first_pk)
    ).exists()


def profiles_visible_to(viewer: Profile | None) -> ProfileQuerySet:
    """The profiles `viewer` may see (None: someone signed out): accounts in good standing
    (`Profile.objects.in_good_standing`), minus those on either side of a block with the
    viewer. Lists of other people (followers, favourited by, starter packs...) filter
    through it; later, minus profiles on domains the server blocks. Lazy; no query."""
    visible = Profile.objects.in_good_standing()
    if viewer is not None:
        visible = visible.exclude(blocked_either_way_q(viewer))
    return visible


def profiles_visible_to_user(user_id: int | None) -> ProfileQuerySet:
    """`profiles_visible_to` for the profile of login user `user_id` (None: signed out), for
    readers that hold a user, not a profile: a join in the block subqueries instead of a
    query for the profile."""
    visible = Profile.objects.in_good_standing()
    if user_id is not None:
        visible = visible.exclude(
            _blocked_either_way_q(
                "pk", {"blocked__user_id": user_id}, {"blocker__user_id": user_id}
            )
        )
    return visible


def _active_mutes(viewer: Profile, now: datetime | None) -> QuerySet[Mute]:
    now = now or timezone.now()
    return Mute.objects.filter(muter=viewer).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


def active_mutes(viewer: Profile) -> QuerySet[Mute]:
    """The mutes `viewer` holds now (expired ones excluded), for callers composing a query."""
    return _active_mutes(viewer, None)


def muted_ids_for(
    viewer: Profile, now: datetime | None = None, *, notifications: bool = False
) -> set[int]:
    """Ids of profiles `viewer` mutes at `now` (expired mutes excluded). With
    `notifications`, only mutes that also hide notifications. One query."""
    mutes = _active_mutes(viewer, now)
    if notifications:
        mutes = mutes.filter(hide_notifications=True)
    return set(mutes.values_list("muted_id", flat=True))


@dataclass
class Relationship:
    """Mastodon's Relationship entity for one target, plus the PLN extras (`pln`)."""

    id: int
    following: bool = False
    showing_reblogs: bool = False
    notifying: bool = False
    followed_by: bool = False
    blocking: bool = False
    blocked_by: bool = False
    muting: bool = False
    muting_notifications: bool = False
    requested: bool = False
    requested_by: bool = False
    domain_blocking: bool = False
    endorsed: bool = False
    note: str = ""
    # --- pln
    connected: bool = False
    connection_requested: bool = False
    connection_requested_by: bool = False
    purposes: list[int] = field(default_factory=list)


def _fill_follows(viewer_id: int, ids: list[int], found: dict[int, Relationship]) -> None:
    for row in Follow.objects.filter(
        Q(follower_id=viewer_id, followee_id__in=ids)
        | Q(followee_id=viewer_id, follower_id__in=ids)
    ).values("follower_id", "followee_id", "show_reblogs", "notify", "endorsed_at"):
        if row["follower_id"] == viewer_id:
            rel = found[row["followee_id"]]
            rel.following, rel.showing_reblogs = True, row["show_reblogs"]
            rel.notifying = row["notify"]
            rel.endorsed = row["endorsed_at"] is not None
        else:
            found[row["follower_id"]].followed_by = True
    for follower_id, followee_id in FollowRequest.objects.filter(
        Q(follower_id=viewer_id, followee_id__in=ids)
        | Q(followee_id=viewer_id, follower_id__in=ids)
    ).values_list("follower_id", "followee_id"):
        if follower_id == viewer_id:
            found[followee_id].requested = True
        else:
            found[follower_id].requested_by = True


def _fill_blocks_and_mutes(
    viewer: Profile, ids: list[int], found: dict[int, Relationship], now: datetime | None
) -> None:
    for blocker_id, blocked_id in Block.objects.filter(
        Q(blocker_id=viewer.pk, blocked_id__in=ids) | Q(blocked_id=viewer.pk, blocker_id__in=ids)
    ).values_list("blocker_id", "blocked_id"):
        if blocker_id == viewer.pk:
            found[blocked_id].blocking = True
        else:
            found[blocker_id].blocked_by = True
    for muted_id, hide_notifications in (
        _active_mutes(viewer, now)
        .filter(muted_id__in=ids)
        .values_list("muted_id", "hide_notifications")
    ):
        found[muted_id].muting = True
        found[muted_id].muting_notifications = hide_notifications


def _fill_pln(viewer_id: int, ids: list[int], found: dict[int, Relationship]) -> None:
    for connection in Connection.objects.filter(
        Q(requester_id=viewer_id, addressee_id__in=ids)
        | Q(addressee_id=viewer_id, requester_id__in=ids)
    ).only("requester_id", "addressee_id", "state"):
        rel = found[connection.other_party(viewer_id)]
        if connection.state == ConnectionState.ACCEPTED:
            rel.connected = True
        elif connection.requester_id == viewer_id:
            rel.connection_requested = True
        else:
            rel.connection_requested_by = True
    for profile_id, list_id in (
        PurposeListMember.objects.filter(list__owner_id=viewer_id, profile_id__in=ids)
        .order_by("list_id")
        .values_list("profile_id", "list_id")
    ):
        found[profile_id].purposes.append(list_id)
    # A pending request carries the purposes chosen with it.
    for followee_id, list_ids in FollowRequest.objects.filter(
        follower_id=viewer_id, followee_id__in=ids
    ).values_list("followee_id", "purpose_list_ids"):
        found[followee_id].purposes = sorted(list_ids)


def _fill_notes(viewer_id: int, ids: list[int], found: dict[int, Relationship]) -> None:
    """The viewer's own notes: a note is read only by its author, never by its subject."""
    for target_id, comment in AccountNote.objects.filter(
        author_id=viewer_id, target_id__in=ids
    ).values_list("target_id", "comment"):
        found[target_id].note = comment


def relationships(
    *, viewer: Profile | None, targets: Sequence[Profile | int], now: datetime | None = None
) -> list[Relationship]:
    """`viewer`'s relationship with each target, in the order given (duplicates kept).

    An anonymous viewer gets all-false relationships without a query. Otherwise a constant
    number of queries (eight), whatever the number of targets. `purposes` are the viewer's
    list ids holding the target (or chosen with a pending follow request); `endorsed` and
    `note` are the viewer's own endorsement of and private note on the target.
    """
    ids = [target if isinstance(target, int) else target.pk for target in targets]
    found = {pk: Relationship(id=pk) for pk in ids}
    if viewer is not None and ids:
        unique = list(found)
        _fill_follows(viewer.pk, unique, found)
        _fill_blocks_and_mutes(viewer, unique, found, now)
        _fill_pln(viewer.pk, unique, found)
        _fill_notes(viewer.pk, unique, found)
    return [found[pk] for pk in ids]


def paginate(
    rows: QuerySet[_Row],
    *,
    limit: int,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
) -> list[_Row]:
    """Mastodon's id pagination over snowflake primary keys, newest first: `max_id` (older
    than), `since_id` (newer than, newest page), `min_id` (the page just newer than);
    `limit` is clamped to 1..80. One query."""
    if max_id is not None:
        rows = rows.filter(pk__lt=max_id)
    if since_id is not None:
        rows = rows.filter(pk__gt=since_id)
    limit = max(1, min(limit, PAGE_LIMIT_MAX))
    if min_id is not None:  # oldest first from min_id, then shown newest first
        return list(rows.filter(pk__gt=min_id).order_by("pk")[:limit])[::-1]
    return list(rows.order_by("-pk")[:limit])


@dataclass(frozen=True)
class FollowEdge:
    """One row of a followers or following page: the follow id (the pagination cursor, as
    Mastodon's Link headers use) and the other profile."""

    id: int
    profile: Profile


def _can_see_follows(profile: Profile, viewer: Profile | None) -> bool:
    if viewer is not None and viewer.pk == profile.pk:
        return True
    if profile.hide_follows:
        return False
    if viewer is None:
        return True
    return not is_blocked_either_way(profile, viewer)


def _page(
    follows: QuerySet[Follow],
    *,
    other: str,
    viewer: Profile | None,
    limit: int,
    max_id: int | None,
    since_id: int | None,
    min_id: int | None,
) -> list[FollowEdge]:
    visible = profiles_visible_to(viewer)
    follows = follows.filter(**{f"{other}__in": visible}).select_related(f"{other}__user")
    rows = paginate(follows, limit=limit, max_id=max_id, since_id=since_id, min_id=min_id)
    return [FollowEdge(id=row.pk, profile=getattr(row, other)) for row in rows]


def followers_of(
    *,
    profile: Profile,
    viewer: Profile | None,
    limit: int = 40,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
) -> list[FollowEdge]:
    """Who follows `profile`, newest follow first, as `viewer` may see them.

    Empty when `profile` hides its follow lists (except to its owner) or when a block stands
    between `profile` and `viewer`; accounts not in good standing, and accounts on either
    side of a block with `viewer`, are left out. Paginated by follow id like Mastodon
    (`limit` capped at 80). Two queries at most.
    """
    if not _can_see_follows(profile, viewer):
        return []
    return _page(
        Follow.objects.filter(followee=profile),
        other="follower",
        viewer=viewer,
        limit=limit,
        max_id=max_id,
        since_id=since_id,
        min_id=min_id,
    )


def following_of(
    *,
    profile: Profile,
    viewer: Profile | None,
    limit: int = 40,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
) -> list[FollowEdge]:
    """Whom `profile` follows, with the same rules as `followers_of`."""
    if not _can_see_follows(profile, viewer):
        return []
    return _page(
        Follow.objects.filter(follower=profile),
        other="followee",
        viewer=viewer,
        limit=limit,
        max_id=max_id,
        since_id=since_id,
        min_id=min_id,
    )


@dataclass(frozen=True)
class FollowCounts:
    followers_count: int = 0
    following_count: int = 0


def follow_counts(profile_ids: Sequence[int]) -> dict[int, FollowCounts]:
    """Followers and following counts for each profile id, from `profiles.ProfileStats`
    (one query whatever the number of ids). They move with every follow row in the same
    transaction, so they are exact; they include every follow, as Mastodon's do, and a
    profile's own `hide_follows` does not hide them."""
    ids = list(dict.fromkeys(profile_ids))
    stats = stats_for(ids)
    return {pk: FollowCounts(stats[pk].followers_count, stats[pk].following_count) for pk in ids}


# --- Pages of the viewer's own graph (requests, blocks, mutes, connections, lists) --------


def follow_requests_for(
    *, viewer: Profile, limit: int = 40, max_id: int | None = None, min_id: int | None = None
) -> list[FollowRequest]:
    """Pending requests to follow `viewer`, newest first, follower (and user) loaded; from
    accounts in good standing only. One query."""
    rows = FollowRequest.objects.filter(
        followee=viewer, follower__in=Profile.objects.in_good_standing()
    ).select_related("follower__user")
    return paginate(rows, limit=limit, max_id=max_id, min_id=min_id)


def blocks_of(
    *, viewer: Profile, limit: int = 40, max_id: int | None = None, min_id: int | None = None
) -> list[Block]:
    """Whom `viewer` blocks, newest block first, blocked profile loaded. One query."""
    rows = Block.objects.filter(blocker=viewer).select_related("blocked__user")
    return paginate(rows, limit=limit, max_id=max_id, min_id=min_id)


def domain_blocks_of(
    *, viewer: Profile, limit: int = 40, max_id: int | None = None, min_id: int | None = None
) -> list[DomainBlock]:
    """The servers `viewer` blocks, newest block first. One query."""
    return paginate(
        DomainBlock.objects.filter(account=viewer), limit=limit, max_id=max_id, min_id=min_id
    )


def mutes_of(
    *,
    viewer: Profile,
    now: datetime | None = None,
    limit: int = 40,
    max_id: int | None = None,
    min_id: int | None = None,
) -> list[Mute]:
    """Whom `viewer` mutes now (expired mutes left out), newest first. One query."""
    rows = _active_mutes(viewer, now).select_related("muted__user")
    return paginate(rows, limit=limit, max_id=max_id, min_id=min_id)


def connections_of(
    *,
    viewer: Profile,
    state: str = ConnectionState.ACCEPTED,
    limit: int = 40,
    max_id: int | None = None,
    min_id: int | None = None,
) -> list[Connection]:
    """`viewer`'s connection records in `state`, newest first, both parties loaded; use
    `connection.other_party(viewer.pk)`. For `asked`, both directions (`requester_id`
    tells incoming from outgoing). Blocked pairs have no record. One query."""
    rows = Connection.objects.filter(Q(requester=viewer) | Q(addressee=viewer), state=state)
    rows = rows.select_related("requester__user", "addressee__user")
    return paginate(rows, limit=limit, max_id=max_id, min_id=min_id)


def purpose_lists_of(*, viewer: Profile) -> list[PurposeList]:
    """`viewer`'s lists, oldest first (as Mastodon orders them). One query."""
    return list(PurposeList.objects.filter(owner=viewer).order_by("pk"))


def purpose_list_get(*, viewer: Profile, list_id: int | str) -> PurposeList:
    """One of `viewer`'s lists. Raises NotFound for an unknown, malformed or another
    person's list id (the same answer for all three)."""
    try:
        pk = int(str(list_id))
    except ValueError as error:
        raise NotFound(NOT_FOUND) from error
    found = PurposeList.objects.filter(owner=viewer, pk=pk).first() if 0 < pk < 2**63 else None
    if found is None:
        raise NotFound(NOT_FOUND)
    return found


def purpose_list_members(
    *,
    viewer: Profile,
    list_id: int | str,
    limit: int = 40,
    max_id: int | None = None,
    min_id: int | None = None,
) -> list[Profile]:
    """The accounts in one of `viewer`'s lists, newest member first (ordered by profile id, as
    Mastodon's list accounts pages are); NotFound as purpose_list_get. Two queries."""
    found = purpose_list_get(viewer=viewer, list_id=list_id)
    members = Profile.objects.in_good_standing().filter(purpose_list_memberships__list=found)
    return paginate(members.select_related("user"), limit=limit, max_id=max_id, min_id=min_id)


def purpose_lists_containing(*, viewer: Profile, profile: Profile) -> list[PurposeList]:
    """Which of `viewer`'s lists hold `profile` (Mastodon's `/accounts/:id/lists`)."""
    return list(
        PurposeList.objects.filter(owner=viewer, memberships__profile=profile).order_by("pk")
    )


def endorsed_by(
    *,
    profile: Profile,
    viewer: Profile | None,
    limit: int = 40,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
) -> list[FollowEdge]:
    """The accounts `profile` endorses ("Recommended colleagues"), newest follow first, as
    `viewer` may see them: the rules of `following_of` (empty when `profile` hides its
    follow lists from others, or a block stands between them; accounts not in good
    standing and those on either side of a block with `viewer` left out). Paginated by
    follow id. Two queries at most."""
    if not _can_see_follows(profile, viewer):
        return []
    return _page(
        Follow.objects.filter(follower=profile, endorsed_at__isnull=False),
        other="followee",
        viewer=viewer,
        limit=limit,
        max_id=max_id,
        since_id=since_id,
        min_id=min_id,
    )
