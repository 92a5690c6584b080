"""Who gets a post in their stored feeds: the rules of fan-out on write.

Home feeds: the author; whom the post's audience reaches (`feed_reach` in posts/audience.py:
all followers for public, unlisted and followers-only posts, only accepted connections for
connections-only posts, nobody but the mentioned for direct posts); a reply to someone else
only reaches followers who also follow the person replied to, as on Mastodon; a reshare
only reaches followers who want reshares from that account and who have no block or mute
with the original's author; nobody who mutes the author; nobody who put the author in an
exclusive list. Followed hashtags: a public, listed original post (not a reshare) of an
author in good standing and not limited reaches the home feeds of local accounts following
any of its tags, by the same exclusions (blocks either way, mutes, exclusive lists); the
feed is a set, so a follower who also follows the tag gets one row. Purpose lists: the lists
that hold the author, owned by someone who receives the post at home or who would but for an
exclusive list, by the list's replies policy (a hashtag never fills a list).

Only local accounts have stored feeds: a remote follower (or a remote author, or a remote
account mentioned) reads the post on its own server, so no row is ever written for one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from staffroom.core.events import FeedsExtended, emit
from staffroom.graph.models import (
    Follow,
    Mute,
    PurposeListMember,
    RepliesPolicy,
)
from staffroom.graph.selectors import blocked_ids_for
from staffroom.hashtags.selectors import tag_follower_ids_for_status, tags_followed_by
from staffroom.posts.audience import audience_for, listed_q, visible_statuses
from staffroom.posts.models import Status
from staffroom.profiles.models import Profile
from staffroom.timelines.models import FeedEntry

BATCH = 1000
# Following a hashtag brings its recent public posts, no older than this, into the feed.
TAG_BACKFILL_AGE = timedelta(days=7)


@dataclass(frozen=True)
class Audience:
    home: set[int]
    lists: dict[int, int]  # list id -> its owner


def _muting(author_ids: list[int]) -> set[int]:
    now = timezone.now()
    return set(
        Mute.objects.filter(muted_id__in=author_ids)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .values_list("muter_id", flat=True)
    )


def _list_takes_reply(policy: str, replied_in_list: bool, owner_follows_replied: bool) -> bool:
    if policy == RepliesPolicy.NONE:
        return False
    if policy == RepliesPolicy.LIST:
        return replied_in_list
    return owner_follows_replied


def _tag_followers(status: Status) -> set[int]:
    """Local accounts whose home takes `status` because they follow one of its tags: only
    a public, listed original of an author who may appear in public places (the tag page's
    rule, `posts.selectors.tagged_statuses`), never one a moderator removed; blocks either
    way with the author keep it out (mutes and exclusive lists are applied by the caller).
    No query for a post that cannot qualify, one for a post nobody follows a tag of."""
    author = status.account
    if (
        status.reblog_of_id is not None
        or status.removed_at is not None
        or author.limited_at is not None
        or not audience_for(status.visibility).is_listed
    ):
        return set()
    followers = tag_follower_ids_for_status(status.pk)
    if not followers or not author.is_in_good_standing:
        return set()
    return followers - blocked_ids_for(author.pk, among=followers)


def audience_of(status: Status) -> Audience:
    """Every stored feed `status` belongs in (a handful of queries, whatever the number of
    followers)."""
    author_id = status.account_id
    original = status.reblog_of
    followers = Follow.objects.filter(followee_id=author_id, follower__domain="")
    if original is not None:
        followers = followers.filter(show_reblogs=True)
    follower_ids = set(followers.values_list("follower_id", flat=True))
    visibility = original.visibility if original is not None else status.visibility
    reach = audience_for(visibility).feed_reach
    excluded = _muting([author_id] if original is None else [author_id, original.account_id])
    if original is not None:
        excluded |= blocked_ids_for(original.account_id) | {original.account_id}
    candidates = reach(status, follower_ids) - excluded
    replied_to = status.in_reply_to_account_id
    is_reply_to_other = original is None and replied_to not in (None, author_id)
    followers_of_replied: set[int] = set()
    home_candidates = candidates
    if is_reply_to_other:
        followers_of_replied = set(
            Follow.objects.filter(
                followee_id=replied_to,
                follower_id__in=Follow.objects.filter(followee_id=author_id).values("follower_id"),
            ).values_list("follower_id", flat=True)
        )
        # Only followers are narrowed: the mentioned always get a direct post.
        home_candidates = reach(status, follower_ids & followers_of_replied) - excluded
    memberships = PurposeListMember.objects.filter(profile_id=author_id).values_list(
        "list_id", "list__owner_id", "list__exclusive", "list__replies_policy"
    )
    replied_in_lists: set[int] = set()
    if is_reply_to_other:
        replied_in_lists = set(
            PurposeListMember.objects.filter(profile_id=replied_to).values_list(
                "list_id", flat=True
            )
        )
    lists: dict[int, int] = {}
    exclusive_owners: set[int] = set()
    for list_id, owner_id, exclusive, policy in memberships:
        if owner_id not in candidates:
            continue
        if exclusive:
            exclusive_owners.add(owner_id)
        if is_reply_to_other and not _list_takes_reply(
            policy, list_id in replied_in_lists, owner_id in followers_of_replied
        ):
            continue
        lists[list_id] = owner_id
    home = (home_candidates | (_tag_followers(status) - excluded)) - exclusive_owners
    if status.account.is_local:
        home.add(author_id)
    return Audience(home=home, lists=lists)


def fan_out(status: Status, *, announce: bool = True) -> int:
    """Write `status` into every feed of its audience; returns how many rows were written.
    Idempotent (a rerun adds nothing: the unique constraints ignore duplicates).
    `announce` emits FeedsExtended (open streaming connections show the post); a rebuild
    of every feed does not announce old posts."""
    audience = audience_of(status)
    origin = status.reblog_of.account_id if status.reblog_of is not None else status.account_id
    rows = [
        FeedEntry(
            owner_id=owner, status=status, author_id=status.account_id, origin_author_id=origin
        )
        for owner in audience.home
    ] + [
        FeedEntry(
            owner_id=owner,
            list_id=list_id,
            status=status,
            author_id=status.account_id,
            origin_author_id=origin,
        )
        for list_id, owner in audience.lists.items()
    ]
    FeedEntry.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    if rows and announce:
        emit(
            FeedsExtended(
                status_id=status.pk,
                home_owner_ids=tuple(sorted(audience.home)),
                list_ids=tuple(sorted(audience.lists)),
            )
        )
    return len(rows)


def backfill(*, owner_id: int, author_id: int, list_id: int | None, count: int) -> int:
    """Bring `author_id`'s newest `count` posts and reshares that `owner_id` may see into
    their home feed or list, by the same rules as fan-out. Idempotent."""
    owner = Profile.objects.local().filter(pk=owner_id).first()
    if owner is None:
        return 0
    recent = (
        visible_statuses(owner)
        .filter(account_id=author_id)
        .select_related("reblog_of")
        .order_by("-id")[:count]
    )
    rows = []
    for status in recent:
        audience = audience_of(status)
        origin = status.reblog_of.account_id if status.reblog_of is not None else author_id
        wanted = (owner_id in audience.home) if list_id is None else (list_id in audience.lists)
        if wanted:
            rows.append(
                FeedEntry(
                    owner_id=owner_id,
                    list_id=list_id,
                    status=status,
                    author_id=author_id,
                    origin_author_id=origin,
                )
            )
    FeedEntry.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def rebuild_all() -> int:
    """Fan every post out again (after a restore, or for rows written in bulk, such as the
    demo's). Oldest first; idempotent. Returns the rows written."""
    written = 0
    statuses = Status.objects.select_related("account", "reblog_of").order_by("id")
    for status in statuses.iterator(2000):
        written += fan_out(status, announce=False)
    return written


def backfill_tag(*, owner_id: int, tag_id: int, count: int) -> int:
    """Bring the newest `count` public posts with tag `tag_id` from the last
    TAG_BACKFILL_AGE into `owner_id`'s home feed, each only if fan-out would have put it
    there now (the same rules, mutes and blocks included). Idempotent."""
    owner = Profile.objects.local().filter(pk=owner_id).first()
    if owner is None:
        return 0
    since = timezone.now() - TAG_BACKFILL_AGE
    recent = (
        visible_statuses(owner)
        .filter(listed_q(), tags=tag_id, reblog_of__isnull=True, created_at__gte=since)
        .order_by("-id")[:count]
    )
    rows = [
        FeedEntry(
            owner_id=owner_id, status=status, author_id=status.account_id,
            origin_author_id=status.account_id,
        )
        for status in recent
        if owner_id in audience_of(status).home
    ]  # fmt: skip
    FeedEntry.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def forget_tag(*, owner_id: int, tag_id: int) -> int:
    """Take out of `owner_id`'s home feed the posts with tag `tag_id` that only the tag
    brought: not their own, not by someone they follow, not mentioning them, and carrying no
    other tag they still follow. Returns the rows deleted."""
    brought = (
        FeedEntry.objects.filter(owner_id=owner_id, list__isnull=True, status__tags=tag_id)
        .exclude(author_id=owner_id)
        .exclude(author_id__in=Follow.objects.filter(follower_id=owner_id).values("followee_id"))
        .exclude(status__mention_rows__profile_id=owner_id)
        .exclude(status__tags__in=tags_followed_by(owner_id).values("tag_id"))
    )
    ids = list(brought.values_list("pk", flat=True))
    deleted = 0
    for start in range(0, len(ids), BATCH):
        deleted += FeedEntry.objects.filter(pk__in=ids[start : start + BATCH]).delete()[0]
    return deleted
