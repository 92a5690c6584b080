"""Reading feeds: home and purpose-list feeds from stored rows, public, local and hashtag
timelines by query, markers, and the teacher's feed preferences.

A stored page costs a constant number of queries whatever the number of accounts followed:
the page of row ids (one indexed range scan), the posts (one query through
`posts.selectors.visible_statuses`, so a row left behind by a race can never show a post the
viewer may not see), and the viewer's active mutes (which also honours a mute's expiry).
A page deeper than the stored rows (feeds are trimmed to FEED_ROWS_MAX) is answered by the
direct query over the followed accounts' posts.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from django.db.models import F, Q, QuerySet

from staffroom.core.exceptions import NotFound, ValidationFailed
from staffroom.core.ids import id_or_not_found
from staffroom.graph.models import Follow, PurposeList
from staffroom.graph.selectors import muted_ids_for
from staffroom.media.selectors import has_media
from staffroom.posts.models import TAG_NAME_MAX_LENGTH, Status
from staffroom.posts.selectors import (
    public_timeline_q,
    tagged_statuses,
    visible_among,
    visible_statuses,
)
from staffroom.profiles.models import Profile
from staffroom.timelines.models import (
    FEED_ROWS_MAX,
    FeedEntry,
    FeedPreferences,
    Marker,
    MarkerTimeline,
)
from staffroom.timelines.suggested import SuggestedItem, suggested_items

TIMELINE_LIMIT_DEFAULT = 20
TIMELINE_LIMIT_MAX = 40
NOT_FOUND = "Record not found"
# How many more hashtags a tag timeline takes in each of `any[]`, `all[]` and `none[]`.
EXTRA_TAGS_MAX = 10

__all__ = [
    "TIMELINE_LIMIT_DEFAULT",
    "TIMELINE_LIMIT_MAX",
    "SuggestedItem",
    "direct_home_ids",
    "feed_preferences_of",
    "home_timeline",
    "list_timeline",
    "markers_of",
    "page_statuses",
    "public_timeline",
    "purpose_list_of",
    "suggested_items",
    "tag_timeline",
]


def clamp_limit(limit: int | None) -> int:
    """Mastodon's handling: 0, negative or missing is the default; at most 40."""
    if not limit or limit < 1:
        return TIMELINE_LIMIT_DEFAULT
    return min(limit, TIMELINE_LIMIT_MAX)


def _page_ids(
    ids: QuerySet[FeedEntry] | QuerySet[Status],
    field: str,
    *,
    limit: int,
    max_id: int | None,
    since_id: int | None,
    min_id: int | None,
) -> list[int]:
    """Mastodon's id pagination over `field`, newest first (see graph.selectors.paginate)."""
    if max_id is not None:
        ids = ids.filter(**{f"{field}__lt": max_id})
    if since_id is not None:
        ids = ids.filter(**{f"{field}__gt": since_id})
    if min_id is not None:
        oldest_first = ids.filter(**{f"{field}__gt": min_id}).order_by(field)
        return list(oldest_first.values_list(field, flat=True)[:limit])[::-1]
    return list(ids.order_by(f"-{field}").values_list(field, flat=True)[:limit])


def page_statuses(viewer: Profile | None, ids: list[int]) -> list[Status]:
    """The posts for `ids` in that order, minus any the viewer may not see or mutes.

    Visibility is checked again on every page (`visible_among`, the same rule as
    `visible_statuses`): a stored row can outlive what allowed it (a block, a suspension,
    a race between an unfollow and a fan-out still running)."""
    if not ids:
        return []
    found = visible_among(viewer, ids)
    muted = muted_ids_for(viewer) if viewer is not None else set()
    statuses = [found[pk] for pk in ids if pk in found]
    return [
        status
        for status in statuses
        if status.account_id not in muted
        and (status.reblog_of is None or status.reblog_of.account_id not in muted)
    ]


def _stored(
    viewer: Profile,
    entries: QuerySet[FeedEntry],
    *,
    limit: int | None,
    max_id: int | None,
    since_id: int | None,
    min_id: int | None,
    deeper: bool,
) -> list[Status]:
    size = clamp_limit(limit)
    ids = _page_ids(
        entries, "status_id", limit=size, max_id=max_id, since_id=since_id, min_id=min_id
    )
    going_back = deeper and len(ids) < size and since_id is None and min_id is None
    # A short page of a trimmed feed: the older posts are no longer stored.
    if going_back and entries.count() >= FEED_ROWS_MAX:
        older_than = ids[-1] if ids else max_id
        ids += direct_home_ids(viewer, limit=size - len(ids), max_id=older_than)
    return page_statuses(viewer, ids)


def home_timeline(
    viewer: Profile,
    *,
    limit: int | None = TIMELINE_LIMIT_DEFAULT,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
) -> list[Status]:
    """The teacher's home feed, newest first: posts and reshares from the accounts they
    follow, their own, and public posts with the hashtags they follow, as fan-out stored
    them (timelines/fanout.py). Pages older than the stored rows come from the follow graph
    alone (`direct_home_ids`), as on Mastodon."""
    return _stored(
        viewer,
        FeedEntry.objects.filter(owner=viewer, list__isnull=True),
        limit=limit,
        max_id=max_id,
        since_id=since_id,
        min_id=min_id,
        deeper=True,
    )


def direct_home_ids(
    viewer: Profile, *, limit: int, max_id: int | None = None, since_id: int | None = None
) -> list[int]:
    """The home feed computed from the follow graph, with no stored rows: one query over
    the posts of the accounts followed. Answers the pages deeper than the stored rows; it
    is also the naive baseline of the feed benchmark."""
    followed = Follow.objects.filter(follower=viewer).values("followee_id")
    statuses = visible_statuses(viewer).filter(Q(account__in=followed) | Q(account=viewer))
    statuses = statuses.filter(
        Q(in_reply_to_account__isnull=True)
        | Q(in_reply_to_account=viewer)
        | Q(in_reply_to_account__in=followed)
        | Q(in_reply_to_account=F("account"))
    )
    return _page_ids(statuses, "id", limit=limit, max_id=max_id, since_id=since_id, min_id=None)


def purpose_list_of(viewer: Profile, list_id: object) -> PurposeList:
    """One of the viewer's purpose lists; NotFound for another teacher's or an unknown one
    (the same answer)."""
    found = PurposeList.objects.filter(owner=viewer, pk=id_or_not_found(list_id)).first()
    if found is None:
        raise NotFound(NOT_FOUND)
    return found


def list_timeline(
    viewer: Profile,
    purpose_list: PurposeList,
    *,
    limit: int | None = TIMELINE_LIMIT_DEFAULT,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
) -> list[Status]:
    """A purpose feed: posts from the list's members, by the list's replies policy."""
    return _stored(
        viewer,
        FeedEntry.objects.filter(owner=viewer, list=purpose_list),
        limit=limit,
        max_id=max_id,
        since_id=since_id,
        min_id=min_id,
        deeper=False,
    )


def public_timeline(
    viewer: Profile | None,
    *,
    local: bool = False,
    remote: bool = False,
    limit: int | None = TIMELINE_LIMIT_DEFAULT,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    only_media: bool = False,
) -> list[Status]:
    """Public posts (no reshares), newest first; `local` only this server's, `remote` only
    other servers', `only_media` only those with attachments. Never unlisted,
    followers-only, connections-only or direct posts, nor posts of an account a moderator
    limited."""
    statuses = Status.objects.filter(public_timeline_q())
    if only_media:
        statuses = statuses.filter(has_media())
    if local:
        statuses = statuses.filter(account__domain="")
    elif remote:
        statuses = statuses.exclude(account__domain="")
    ids = _page_ids(
        statuses, "id", limit=clamp_limit(limit), max_id=max_id, since_id=since_id, min_id=min_id
    )
    return page_statuses(viewer, ids)


def tag_timeline(
    viewer: Profile | None,
    name: str,
    *,
    limit: int | None = TIMELINE_LIMIT_DEFAULT,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    only_media: bool = False,
    any_tags: Sequence[str] = (),
    all_tags: Sequence[str] = (),
    none_tags: Sequence[str] = (),
) -> list[Status]:
    """Public posts with hashtag `name` (case-insensitive), minus muted accounts;
    `only_media` keeps those with attachments; `any_tags`, `all_tags` and `none_tags` as
    `posts.selectors.tagged_statuses` reads them (at most EXTRA_TAGS_MAX names each)."""
    for extra in (any_tags, all_tags, none_tags):
        if len(extra) > EXTRA_TAGS_MAX:
            raise ValidationFailed(
                f"Validation failed: any[], all[] and none[] take at most {EXTRA_TAGS_MAX} "
                "hashtags each"
            )
    name = name.strip().removeprefix("#")
    if len(name) > TAG_NAME_MAX_LENGTH:
        raise ValidationFailed(
            f"Validation failed: a hashtag has at most {TAG_NAME_MAX_LENGTH} characters"
        )
    if not name:
        return []
    statuses = tagged_statuses(
        name,
        viewer,
        limit=clamp_limit(limit),
        max_id=max_id,
        since_id=since_id,
        min_id=min_id,
        only_media=only_media,
        any_tags=any_tags,
        all_tags=all_tags,
        none_tags=none_tags,
    )
    return page_statuses(viewer, [status.pk for status in statuses])


def markers_of(viewer: Profile, timelines: Collection[str]) -> list[Marker]:
    """The viewer's saved read positions for the named timelines (unknown names ignored)."""
    wanted = [name for name in timelines if name in MarkerTimeline.values]
    return list(Marker.objects.filter(owner=viewer, timeline__in=wanted))


def feed_preferences_of(viewer: Profile) -> FeedPreferences:
    """The teacher's feed preferences (the defaults, unsaved, until they change them)."""
    return FeedPreferences.objects.filter(owner=viewer).first() or FeedPreferences(owner=viewer)
