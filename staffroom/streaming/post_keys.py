"""The routing keys of a post: which public, hashtag, direct and stored-feed streams an
event about it goes to. Each function is a few queries whatever the audience's size.

Whether a post belongs on the public and hashtag timelines is their REST selectors' own
rule (`posts.selectors.public_timeline_q` with what a signed-out viewer may see), asked of
the database for this one post, so a stream can never list what the timeline would not.
"""

from __future__ import annotations

from staffroom.graph.models import Follow, PurposeListMember
from staffroom.media.selectors import has_media
from staffroom.posts.audience import visible_statuses
from staffroom.posts.models import Mention, Status, Visibility
from staffroom.posts.selectors import public_timeline_q
from staffroom.streaming.routing import (
    direct_key,
    hashtag_key,
    list_key,
    public_key,
    user_key,
)
from staffroom.timelines.models import FeedEntry


def _public_base(*, local: bool, media: bool) -> list[str]:
    """The public timelines' keys for a post of a local or remote author."""
    keys = [public_key(), public_key(local=local, remote=not local)]
    if media:
        keys += [public_key(media=True), public_key(local=local, remote=not local, media=True)]
    return keys


def public_keys(status: Status) -> list[str]:
    """`public...` and `hashtag...` keys when `status` is on the public timelines (and its
    hashtags' timelines) now; none otherwise. `status` with its author loaded."""
    listed = visible_statuses(None).filter(public_timeline_q(), pk=status.pk)
    if not listed.exists():
        return []
    return _public_base(
        local=status.account.is_local, media=listed.filter(has_media()).exists()
    ) + hashtag_keys(status)


def hashtag_keys(status: Status) -> list[str]:
    """`hashtag:` keys of each of the post's hashtags (and `hashtag:local:` for a local
    author), whether or not it is listed: callers decide that."""
    local = status.account.is_local
    return [
        key
        for normalized in status.tags.values_list("normalized", flat=True)
        for key in tag_stream_keys(normalized, author_is_local=local)
    ]


def tag_stream_keys(normalized: str, *, author_is_local: bool) -> list[str]:
    """The keys of one hashtag's streams for a post by a local or remote author."""
    keys = [hashtag_key(normalized)]
    if author_is_local:
        keys.append(hashtag_key(normalized, local=True))
    return keys


def direct_keys(status: Status) -> list[str]:
    """`direct:` keys of the author and of each local account mentioned, for a direct post."""
    if status.visibility != Visibility.DIRECT or status.reblog_of_id is not None:
        return []
    mentioned = Mention.objects.filter(status=status, profile__domain="").values_list(
        "profile_id", flat=True
    )
    return [direct_key(pk) for pk in dict.fromkeys([status.account_id, *mentioned])]


def stored_feed_keys(status_id: int) -> list[str]:
    """`user:` and `list:` keys of every stored feed holding the post now."""
    # A home row's list is null (the stubs type the column as never null).
    rows: list[tuple[int, int | None]] = list(
        FeedEntry.objects.filter(status_id=status_id).values_list("owner_id", "list_id")
    )
    return [user_key(owner) if list_id is None else list_key(list_id) for owner, list_id in rows]


def follower_home_keys(author_id: int) -> list[str]:
    """`user:` keys of the author and each local follower (where Mastodon sends deletes)."""
    followers = Follow.objects.filter(followee_id=author_id, follower__domain="").values_list(
        "follower_id", flat=True
    )
    return [user_key(pk) for pk in dict.fromkeys([author_id, *followers])]


def author_list_keys(author_id: int) -> list[str]:
    """`list:` keys of every list holding the author (where Mastodon sends deletes)."""
    lists = PurposeListMember.objects.filter(profile_id=author_id).values_list("list_id", flat=True)
    return [list_key(pk) for pk in lists]


def gone_public_keys(*, local: bool) -> list[str]:
    """Every public key a deleted post could have been listed under (whether it had media
    is no longer known; a delete is only an id, harmless where it was never shown)."""
    return _public_base(local=local, media=True)
