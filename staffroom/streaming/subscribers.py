"""How domain events reach open streaming connections: after commit, each event becomes a
StreamMessage (ids and routing keys, never a rendered payload) handed to the broker, which
every web worker's hub listens to. Best effort, as Mastodon's streaming: a message lost to
a crash is not sent again, and a client catches up through the REST timelines.
"""

from __future__ import annotations

import json

from staffroom.announcements.entities import announcement_entities
from staffroom.announcements.selectors import active_announcement, reaction_counts
from staffroom.core.events import (
    AnnouncementPublished,
    AnnouncementReacted,
    AnnouncementWithdrawn,
    FeedsExtended,
    FiltersChanged,
    NotificationCreated,
    Phase,
    StatusCreated,
    StatusDeleted,
    StatusEdited,
    StatusRemoved,
    subscriber,
)
from staffroom.posts.audience import audience_for
from staffroom.posts.models import Status, Visibility
from staffroom.profiles.models import Profile
from staffroom.streaming import broker
from staffroom.streaming.messages import (
    ANNOUNCEMENT,
    ANNOUNCEMENT_DELETE,
    ANNOUNCEMENT_REACTION,
    CONVERSATION,
    DELETE,
    FILTERS_CHANGED,
    NOTIFICATION,
    STATUS_UPDATE,
    UPDATE,
    StreamMessage,
)
from staffroom.streaming.post_keys import (
    author_list_keys,
    direct_keys,
    follower_home_keys,
    gone_public_keys,
    hashtag_keys,
    public_keys,
    stored_feed_keys,
    tag_stream_keys,
)
from staffroom.streaming.routing import (
    ANNOUNCEMENTS_KEY,
    direct_key,
    list_key,
    notification_key,
    user_key,
)


def _send(event: str, keys: list[str], **ids: int | str) -> None:
    unique = tuple(dict.fromkeys(keys))
    if unique:
        broker.publish(StreamMessage(event=event, keys=unique, **ids))  # type: ignore[arg-type]


def _loaded(status_id: int) -> Status | None:
    return Status.objects.select_related("account").filter(pk=status_id).first()


@subscriber(FeedsExtended, phase=Phase.AFTER_COMMIT)
def stream_feed_update(event: FeedsExtended) -> None:
    keys = [user_key(pk) for pk in event.home_owner_ids] + [list_key(pk) for pk in event.list_ids]
    _send(UPDATE, keys, status_id=event.status_id)


@subscriber(StatusCreated, phase=Phase.AFTER_COMMIT)
def stream_new_status(event: StatusCreated) -> None:
    """Public and hashtag streams get the post; the direct streams of its author and the
    local accounts it mentions get their conversation, as Mastodon (home and list feeds
    follow fan-out's FeedsExtended)."""
    status = _loaded(event.status_id)
    if status is not None:
        _send(UPDATE, public_keys(status), status_id=status.pk)
        _send(CONVERSATION, direct_keys(status), status_id=status.pk)


@subscriber(StatusEdited, phase=Phase.AFTER_COMMIT)
def stream_edited_status(event: StatusEdited) -> None:
    status = _loaded(event.status_id)
    if status is not None:
        keys = stored_feed_keys(status.pk) + public_keys(status) + direct_keys(status)
        _send(STATUS_UPDATE, keys, status_id=status.pk)


@subscriber(StatusDeleted, phase=Phase.AFTER_COMMIT)
def stream_deleted_status(event: StatusDeleted) -> None:
    """The row is gone when this runs; the event carries its hashtags and mentions. The
    author's followers, the lists holding the author, the public and hashtag streams (a
    listed post) and the direct streams of those a direct post mentioned are told."""
    keys = follower_home_keys(event.account_id) + author_list_keys(event.account_id)
    local = Profile.objects.filter(pk=event.account_id, domain="").exists()
    if event.reblog_of_id is None and audience_for(event.visibility).is_open:
        keys += gone_public_keys(local=local)
        keys += [
            key for tag in event.tag_keys for key in tag_stream_keys(tag, author_is_local=local)
        ]
    if event.visibility == Visibility.DIRECT and event.reblog_of_id is None:
        keys += [direct_key(pk) for pk in (event.account_id, *event.mentioned_ids)]
    _send(DELETE, keys, status_id=event.status_id, payload=str(event.status_id))


@subscriber(StatusRemoved, phase=Phase.AFTER_COMMIT)
def stream_removed_status(event: StatusRemoved) -> None:
    """A removed post's row stays: its hashtags and mentions are still known."""
    keys = follower_home_keys(event.account_id) + author_list_keys(event.account_id)
    status = _loaded(event.status_id)
    if status is not None:
        if status.reblog_of_id is None and audience_for(status.visibility).is_open:
            keys += gone_public_keys(local=status.account.is_local) + hashtag_keys(status)
        keys += direct_keys(status)
    _send(DELETE, keys, status_id=event.status_id, payload=str(event.status_id))


@subscriber(NotificationCreated, phase=Phase.AFTER_COMMIT)
def stream_notification(event: NotificationCreated) -> None:
    _send(
        NOTIFICATION, [notification_key(event.recipient_id)], notification_id=event.notification_id
    )


# Announcements are the same for everyone, as on Mastodon: the payload is rendered once,
# without a viewer (`read` false, each reaction's `me` false), and travels in the message.


@subscriber(AnnouncementPublished, phase=Phase.AFTER_COMMIT)
def stream_announcement(event: AnnouncementPublished) -> None:
    announcement = active_announcement(event.announcement_id)
    if announcement is not None:
        payload = json.dumps(announcement_entities([announcement], None)[0])
        _send(ANNOUNCEMENT, [ANNOUNCEMENTS_KEY], payload=payload)


@subscriber(AnnouncementReacted, phase=Phase.AFTER_COMMIT)
def stream_announcement_reaction(event: AnnouncementReacted) -> None:
    counts = reaction_counts([event.announcement_id]).get(event.announcement_id, [])
    count = next((row.count for row in counts if row.name == event.name), 0)
    payload = {"name": event.name, "count": count, "announcement_id": str(event.announcement_id)}
    _send(ANNOUNCEMENT_REACTION, [ANNOUNCEMENTS_KEY], payload=json.dumps(payload))


@subscriber(AnnouncementWithdrawn, phase=Phase.AFTER_COMMIT)
def stream_announcement_delete(event: AnnouncementWithdrawn) -> None:
    _send(ANNOUNCEMENT_DELETE, [ANNOUNCEMENTS_KEY], payload=str(event.announcement_id))


@subscriber(FiltersChanged, phase=Phase.AFTER_COMMIT)
def stream_filters_changed(event: FiltersChanged) -> None:
    """The owner's `user` streams are told to read their filters again."""
    _send(FILTERS_CHANGED, [user_key(event.account_id)])
