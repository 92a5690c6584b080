"""Rendering a StreamMessage for the viewers of one web worker's connections: Mastodon's
`payload` (a JSON string) per viewer, exactly the entity that viewer gets from the REST API.

A status is loaded once and its entities built once for every viewer who may receive it
(`posts.entities.status_entities_for_viewers`); who may is decided for all viewers
together: the post's own standing first, then blocks and mutes in one query each. Only
posts whose audience is not open to everyone (rare on public streams) are checked viewer by
viewer, through the audience module's own `can_see`.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Q
from django.utils import timezone

from staffroom.conversations.api.entities import conversation_entities
from staffroom.conversations.selectors import conversation_for_thread
from staffroom.core.api.prebuilt import json_text
from staffroom.core.exceptions import NotFound
from staffroom.filters.selectors import viewer_filters_for
from staffroom.graph.models import Block, Mute
from staffroom.notifications.api.entities import notification_entities
from staffroom.notifications.models import Notification
from staffroom.notifications.selectors import notification_get
from staffroom.posts.audience import audience_for, can_see
from staffroom.posts.entities import status_entities_for_viewers
from staffroom.posts.models import Status
from staffroom.profiles.models import Profile
from staffroom.streaming.messages import (
    CONVERSATION,
    DELETE,
    FILTERS_CHANGED,
    NOTIFICATION,
    SHARED_PAYLOAD_EVENTS,
    STATUS_UPDATE,
    UPDATE,
    StreamMessage,
)
from staffroom.streaming.routing import user_key

Viewer = int | None


def render_payloads(message: StreamMessage, viewer_ids: Collection[Viewer]) -> dict[Viewer, str]:
    """Mastodon's `payload` for each viewer who may receive this event, as that viewer
    would get the REST entity; viewers absent from the result get nothing. None is a
    signed-out viewer (public and hashtag streams). Synchronous (database): the hub calls
    it from a thread. A bounded number of queries whatever len(viewer_ids)."""
    if message.event == DELETE:
        payload = message.payload if message.payload is not None else str(message.status_id)
        return dict.fromkeys(viewer_ids, payload)
    if message.event in SHARED_PAYLOAD_EVENTS and message.payload is not None:
        return dict.fromkeys(
            (viewer for viewer in viewer_ids if viewer is not None), message.payload
        )
    if message.event in (UPDATE, STATUS_UPDATE) and message.status_id is not None:
        return _status_payloads(message.status_id, set(viewer_ids), message.keys)
    if message.event == NOTIFICATION and message.notification_id is not None:
        return _notification_payloads(message.notification_id, set(viewer_ids))
    if message.event == CONVERSATION and message.status_id is not None:
        return _conversation_payloads(message.status_id, set(viewer_ids))
    if message.event == FILTERS_CHANGED:
        # Only the owner of a `user:<id>` key; Mastodon's event carries no payload.
        return {pk: "" for pk in viewer_ids if pk is not None and user_key(pk) in message.keys}
    return {}


def _filter_context(viewer: Viewer, keys: Collection[str]) -> str:
    """The filter context a viewer gets a status update in: their home feed or a list
    (`home`), a public or hashtag stream (`public`), otherwise a conversation (`thread`)."""
    if (viewer is not None and user_key(viewer) in keys) or any(
        key.startswith("list:") for key in keys
    ):
        return "home"
    if any(key.startswith(("public", "hashtag:")) for key in keys):
        return "public"
    return "thread"


def _loaded(status_id: int) -> Status | None:
    return (
        Status.objects.select_related("account__user", "reblog_of__account__user")
        .prefetch_related("mentions", "reblog_of__mentions")
        .filter(pk=status_id)
        .first()
    )


def _standing(status: Status) -> bool:
    """Nobody may see a removed post or one whose author is not in good standing."""
    return status.removed_at is None and status.account.is_in_good_standing


def _status_payloads(
    status_id: int, viewer_ids: set[Viewer], keys: Collection[str] = ()
) -> dict[Viewer, str]:
    status = _loaded(status_id)
    if status is None:
        return {}
    posts = [status] if status.reblog_of is None else [status, status.reblog_of]
    if not all(_standing(post) for post in posts):
        return {}
    signed_in = {pk for pk in viewer_ids if pk is not None}
    shut_out = _blocking_or_muting(signed_in, posts)
    viewers: list[Profile | None] = list(
        Profile.objects.filter(pk__in=signed_in - shut_out).order_by("pk")
    )
    open_to_all = all(audience_for(post.visibility).is_open for post in posts)
    if open_to_all and None in viewer_ids:
        viewers.append(None)
    if not open_to_all:
        # Few viewers, and the audience module's own answer for each.
        viewers = [viewer for viewer in viewers if viewer is not None and can_see(viewer, status)]
    # Each viewer's filters: a post their `hide` filters take out is not sent to them;
    # the others get it with `filtered`, in the context of the stream it reaches them on.
    filters = viewer_filters_for(viewer.pk for viewer in viewers if viewer is not None)
    by_context: dict[str, list[Profile | None]] = {}
    for viewer in viewers:
        context = _filter_context(None if viewer is None else viewer.pk, keys)
        if viewer is not None and filters[viewer.pk].hides(status, context):
            continue
        by_context.setdefault(context, []).append(viewer)
    payloads: dict[Viewer, str] = {}
    for context, group in by_context.items():
        entities = status_entities_for_viewers([status], group, context=context, filters=filters)
        payloads.update({viewer: json_text(built[0]) for viewer, built in entities.items()})
    return payloads


def _blocking_or_muting(viewer_ids: set[int], posts: list[Status]) -> set[int]:
    """Viewers on either side of a block with an author, or blocking or muting (an active
    mute) an author or anyone mentioned: two queries for all viewers."""
    if not viewer_ids:
        return set()
    authors = {post.account_id for post in posts}
    mentioned = {profile.pk for post in posts for profile in post.mentions.all()}
    watched = authors | mentioned
    blocks = Block.objects.filter(
        Q(blocker_id__in=viewer_ids, blocked_id__in=watched)
        | Q(blocker_id__in=authors, blocked_id__in=viewer_ids)
    ).values_list("blocker_id", "blocked_id")
    shut_out = set()
    for blocker, blocked in blocks:
        if blocker in viewer_ids and blocked in watched:
            shut_out.add(blocker)
        if blocker in authors and blocked in viewer_ids:
            shut_out.add(blocked)
    now = timezone.now()
    mutes = Mute.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now),
        muter_id__in=viewer_ids,
        muted_id__in=watched,
    )
    return shut_out | set(mutes.values_list("muter_id", flat=True))


def _notification_payloads(notification_id: int, viewer_ids: set[Viewer]) -> dict[Viewer, str]:
    """Only for its recipient, as `GET /api/v1/notifications/:id` would answer it (gone,
    dismissed, from an account the recipient blocks or mutes notifications of, or about a
    post they may no longer see: nothing)."""
    recipient_id = (
        Notification.objects.filter(pk=notification_id)
        .values_list("recipient_id", flat=True)
        .first()
    )
    if recipient_id is None or recipient_id not in viewer_ids:
        return {}
    recipient = Profile.objects.filter(pk=recipient_id).first()
    if recipient is None:
        return {}
    try:
        found = notification_get(recipient, notification_id)
    except NotFound:
        return {}
    entities = notification_entities([found], recipient, None)
    if not entities:  # about a post the recipient's `hide` filters take out
        return {}
    return {recipient.pk: json_text(entities[0])}


def _conversation_payloads(status_id: int, viewer_ids: set[Viewer]) -> dict[Viewer, str]:
    """Each viewer's own Conversation of the post's thread, as `GET /api/v1/conversations`
    would list it, and only while its last post is this one: a viewer with no such row
    (not in it, muting or blocking the author, deleted it since) gets nothing. Direct
    streams are one account's each, so the viewers are the post's few participants: a
    few queries per viewer."""
    thread_id = Status.objects.filter(pk=status_id).values_list("thread_id", flat=True).first()
    if thread_id is None:
        return {}
    signed_in = sorted(pk for pk in viewer_ids if pk is not None)
    payloads: dict[Viewer, str] = {}
    for viewer in Profile.objects.filter(pk__in=signed_in).order_by("pk"):
        row = conversation_for_thread(viewer, thread_id)
        if row is not None and row.last_status_id == status_id:
            payloads[viewer.pk] = json_text(conversation_entities([row], viewer, None)[0])
    return payloads
