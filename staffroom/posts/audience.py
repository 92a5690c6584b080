"""Who may see a post: the one audience module, in its SQL and its Python form.

A post's `visibility` names its audience. `AUDIENCES` holds one entry per audience, each
giving side by side the SQL form (`members_q`: a condition on posts, joined into every
query that lists posts) and the Python form (`members_among`: which of a page's loaded
posts the viewer belongs to, for pages whose rows were chosen once already, such as a
stored feed's), and whose stored feeds fan-out puts the post in (`feed_reach`). A new
audience (a community, a support circle) is one more entry with these;
tests/posts/test_audience.py holds every entry's two forms to the same answers.

Today's audiences:

- public: anyone, signed in or not, and listed in public places (public and hashtag
  timelines, suggestions of posts);
- unlisted: anyone, but never listed;
- followers-only: accepted followers of the author (a pending request is not enough);
- connections-only: accepted connections of the author;
- direct: nobody beyond the people mentioned.

Whatever the audience, the author and the people mentioned may see a post, and nobody may
see one a moderator removed, nor one whose author is not in good standing
(`profiles.models.good_standing_q`: remote suspended accounts included) or is on either
side of a block with the viewer (`graph.selectors.blocked_either_way_q`); a reshare also
needs its original to pass the same test. A post someone may not see is answered exactly as
one that does not exist (SECURITY-PLAN P-3).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from staffroom.graph.models import Connection, ConnectionState, Follow
from staffroom.graph.selectors import blocked_either_way_q, blocked_ids_for
from staffroom.posts.models import Mention, Status, Visibility
from staffroom.profiles.models import Profile, good_standing_q

# The SQL form: posts (the status at `prefix`, e.g. "reblog_of__") whose audience holds
# the signed-in viewer. The Python form: the ids of those among a page's loaded posts (all
# of this audience, none the viewer's own), read with at most one query.
MembersQ = Callable[[Profile, str], Q]
MembersAmong = Callable[[Profile, Sequence[Status]], frozenset[int]]
# Fan-out on write: the local accounts whose home feed takes a post, given the author's
# local followers who would take it (timelines/fanout.py narrows those for replies and
# reshares, and takes out mutes and blocks, before and after).
FeedReach = Callable[[Status, set[int]], set[int]]


def _followers_reach(status: Status, followers: set[int]) -> set[int]:
    return followers


@dataclass(frozen=True)
class Audience:
    """Who, beyond the author and the people mentioned, may see a post of `visibility`.

    `is_open`: anyone may, signed in or not (both forms follow from it); `is_listed`: an
    open post that also appears in public places (`listed_q`). Otherwise `members_q` and
    `members_among` (both or neither) name the signed-in viewers who may; with neither,
    only the author and the mentioned may (direct posts). `feed_reach`: whose stored
    feeds take the post (by default the author's followers)."""

    visibility: str
    is_open: bool = False
    is_listed: bool = False
    members_q: MembersQ | None = field(default=None, compare=False)
    members_among: MembersAmong | None = field(default=None, compare=False)
    feed_reach: FeedReach = field(default=_followers_reach, compare=False)


def _author_in(profile_ids: QuerySet[Any, Any], prefix: str) -> Q:
    return Q(**{f"{prefix}account__in": profile_ids})


def _followers_q(viewer: Profile, prefix: str) -> Q:
    return _author_in(Follow.objects.filter(follower=viewer).values("followee_id"), prefix)


def _followers_among(viewer: Profile, statuses: Sequence[Status]) -> frozenset[int]:
    followed = set(
        Follow.objects.filter(
            follower=viewer, followee_id__in={status.account_id for status in statuses}
        ).values_list("followee_id", flat=True)
    )
    return frozenset(status.pk for status in statuses if status.account_id in followed)


def _connections_q(viewer: Profile, prefix: str) -> Q:
    accepted = Connection.objects.filter(state=ConnectionState.ACCEPTED)
    return _author_in(accepted.filter(requester=viewer).values("addressee_id"), prefix) | (
        _author_in(accepted.filter(addressee=viewer).values("requester_id"), prefix)
    )


def _connections_among(viewer: Profile, statuses: Sequence[Status]) -> frozenset[int]:
    authors = {status.account_id for status in statuses}
    pairs = Connection.objects.filter(
        Q(requester=viewer, addressee_id__in=authors)
        | Q(addressee=viewer, requester_id__in=authors),
        state=ConnectionState.ACCEPTED,
    ).values_list("requester_id", "addressee_id")
    connected = {pk for pair in pairs for pk in pair} - {viewer.pk}
    return frozenset(status.pk for status in statuses if status.account_id in connected)


def _connections_reach(status: Status, followers: set[int]) -> set[int]:
    """The followers who are also accepted connections of the author."""
    author_id = status.account_id
    rows = Connection.objects.filter(state=ConnectionState.ACCEPTED).filter(
        Q(requester_id=author_id) | Q(addressee_id=author_id)
    )
    connected = {
        addressee if requester == author_id else requester
        for requester, addressee in rows.values_list("requester_id", "addressee_id")
    }
    return followers & connected


def _mentioned_reach(status: Status, followers: set[int]) -> set[int]:
    """The local accounts mentioned, followers or not (services checked them)."""
    return set(
        Mention.objects.filter(status=status, profile__domain="").values_list(
            "profile_id", flat=True
        )
    )


AUDIENCES: dict[str, Audience] = {
    audience.visibility: audience
    for audience in (
        Audience(Visibility.PUBLIC, is_open=True, is_listed=True),
        Audience(Visibility.UNLISTED, is_open=True),
        Audience(Visibility.FOLLOWERS, members_q=_followers_q, members_among=_followers_among),
        Audience(
            Visibility.CONNECTIONS,
            members_q=_connections_q,
            members_among=_connections_among,
            feed_reach=_connections_reach,
        ),
        Audience(Visibility.DIRECT, feed_reach=_mentioned_reach),
    )
}
# An unknown visibility (none is stored today) is seen by its author and the mentioned only.
_CLOSED = Audience("", feed_reach=_mentioned_reach)


def audience_for(visibility: str) -> Audience:
    return AUDIENCES.get(visibility, _CLOSED)


def open_visibilities() -> list[str]:
    """The visibilities anyone may read, signed in or not."""
    return [visibility for visibility, audience in AUDIENCES.items() if audience.is_open]


def listed_q(prefix: str = "") -> Q:
    """Posts (at `prefix`) that may be listed in public places: the public and hashtag
    timelines, suggested posts (which list originals, not reshares). Who may see each is
    still `visible_statuses`' (or `visible_among`'s) answer."""
    listed = [visibility for visibility, audience in AUDIENCES.items() if audience.is_listed]
    return Q(**{f"{prefix}visibility__in": listed})


# --- The SQL form -------------------------------------------------------------------------


def audience_q(viewer: Profile | None, prefix: str = "") -> Q:
    """Posts (at `prefix`) whose audience lets `viewer` read them; authors are checked
    separately (`author_allowed_q`). For `viewer` None, the posts anyone may read."""
    readable = Q(**{f"{prefix}visibility__in": open_visibilities()})
    if viewer is None:
        return readable
    readable |= Q(**{f"{prefix}account": viewer}) | Q(
        **{f"{prefix}pk__in": Mention.objects.filter(profile=viewer).values("status_id")}
    )
    for audience in AUDIENCES.values():
        if audience.members_q is not None:
            readable |= Q(**{f"{prefix}visibility": audience.visibility}) & audience.members_q(
                viewer, prefix
            )
    return readable


def author_allowed_q(viewer: Profile | None, prefix: str = "") -> Q:
    """The author of a post (at `prefix`) is in good standing and on neither side of a
    block with the viewer. Standing is a condition on the joined rows, not a list of every
    author: as `account IN (all good authors)` the planner would walk that list (SQLite
    probed the posts index once per author) instead of the few ids a page asks for."""
    allowed = good_standing_q(f"{prefix}account__")
    if viewer is not None:
        allowed &= ~blocked_either_way_q(viewer, f"{prefix}account_id")
    return allowed


def visible_statuses(viewer: Profile | None) -> QuerySet[Status]:
    """Every status `viewer` (None: someone signed out) may see, author loaded."""
    return (
        Status.objects.filter(removed_at__isnull=True)
        .filter(author_allowed_q(viewer))
        .filter(audience_q(viewer))
        .filter(
            Q(reblog_of__isnull=True)
            | (
                Q(reblog_of__removed_at__isnull=True)
                & author_allowed_q(viewer, "reblog_of__")
                & audience_q(viewer, "reblog_of__")
            )
        )
        .select_related("account__user", "reblog_of__account__user")
    )


def can_see(viewer: Profile | None, status: Status) -> bool:
    """Whether `viewer` may see `status` (one query)."""
    return visible_statuses(viewer).filter(pk=status.pk).exists()


# --- The Python form ----------------------------------------------------------------------


def visible_among(viewer: Profile | None, ids: Collection[int]) -> dict[int, Status]:
    """The posts of `ids` that `viewer` may see, by id, authors loaded: `visible_statuses`'
    rule, evaluated on the loaded rows instead of in SQL.

    For pages whose ids already passed the rule once (a stored feed's rows, written by
    fan-out) and only need it re-checked against what changed since: building
    `visible_statuses`' SQL (a dozen subqueries, for the post and for a reshared original)
    cost more CPU than everything else a feed page does. Here it is one plain query for the
    rows, then a few small reads bounded by the page (blocks with the page's authors, one
    per closed audience on the page, mentions of the viewer in the page's posts); none for
    a signed-out viewer."""
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
    """What `visible_among` needs to know about the viewer and a page's posts."""

    viewer_id: int | None
    blocked_either_way: frozenset[int] = frozenset()
    mentioned_in: frozenset[int] = frozenset()
    admitted: frozenset[int] = frozenset()  # posts whose audience holds the viewer

    @classmethod
    def read(cls, viewer: Profile | None, statuses: list[Status]) -> _ViewerFacts:
        """Each read only when the page has a post it could decide: a page of open posts
        costs the block read alone."""
        if viewer is None:
            return cls(viewer_id=None)
        others = [status for status in statuses if status.account_id != viewer.pk]
        if not others:
            return cls(viewer_id=viewer.pk)
        closed: dict[str, list[Status]] = defaultdict(list)
        for status in others:
            if not audience_for(status.visibility).is_open:
                closed[status.visibility].append(status)
        admitted: set[int] = set()
        for visibility, group in closed.items():
            members_among = audience_for(visibility).members_among
            if members_among is not None:
                admitted |= members_among(viewer, group)
        closed_ids = [status.pk for group in closed.values() for status in group]
        return cls(
            viewer_id=viewer.pk,
            blocked_either_way=frozenset(
                blocked_ids_for(viewer, among={status.account_id for status in others})
            ),
            mentioned_in=frozenset(
                Mention.objects.filter(profile=viewer, status_id__in=closed_ids).values_list(
                    "status_id", flat=True
                )
            )
            if closed_ids
            else frozenset(),
            admitted=frozenset(admitted),
        )

    def may_see(self, status: Status) -> bool:
        if status.removed_at is not None:
            return False
        author = status.account
        if not author.is_in_good_standing or author.pk in self.blocked_either_way:
            return False
        if audience_for(status.visibility).is_open:
            return True
        if self.viewer_id is None:
            return False
        if author.pk == self.viewer_id or status.pk in self.mentioned_in:
            return True
        return status.pk in self.admitted
