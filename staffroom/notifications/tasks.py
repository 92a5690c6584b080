"""Writing notifications, in background jobs that run after the row they are about has
committed (receivers in `signals.py` enqueue them). Each job re-reads what it needs, so a
post deleted or a follow undone before it runs notifies nobody, and a retried job writes
nothing twice (`Notification.source_id` is unique per recipient and kind)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from staffroom.core.events import NotificationCreated, emit
from staffroom.core.jobs import job
from staffroom.graph.models import Connection, ConnectionState, Follow, FollowRequest
from staffroom.notifications.models import (
    GROUPED_KINDS,
    Notification,
    NotificationKind,
    NotificationPreferences,
    PolicyChoice,
)
from staffroom.notifications.rules import may_notify, policy_decision
from staffroom.notifications.services import request_attach
from staffroom.polls.models import Poll
from staffroom.polls.selectors import poll_voter_ids
from staffroom.posts.models import Favourite, Mention, Status, Visibility
from staffroom.posts.selectors import is_conversation_muted, visible_statuses
from staffroom.profiles.models import Profile


def group_key(kind: str, *, status_id: int | None, notification_id: int, day: str) -> str:
    """Mastodon's grouping: favourites or reshares of one post together, follows by day,
    everything else alone."""
    if kind in GROUPED_KINDS and kind != NotificationKind.FOLLOW and status_id is not None:
        return f"{kind}-{status_id}"
    if kind == NotificationKind.FOLLOW:
        return f"follow-{day}"
    return f"ungrouped-{notification_id}"


def notify(
    *, recipient: Profile, actor: Profile, kind: str, source_id: int, status: Status | None = None
) -> Notification | None:
    """Write one notification if the rules allow it; None when they do not (or it exists),
    when the recipient muted the post's conversation (Mastodon's status mute: mentions,
    replies, favourites, reshares, new posts) or when the recipient's policy drops it. One
    the policy filters is written put aside (`filtered`) under the sender's notification
    request, and told to nobody."""
    if not may_notify(recipient, actor, kind):
        return None
    if status is not None and is_conversation_muted(recipient.pk, status.thread_id):
        return None
    decision = policy_decision(recipient, actor, kind, status)
    if decision == PolicyChoice.DROP:
        return None
    notification = Notification(
        recipient=recipient,
        account=actor,
        kind=kind,
        status=status,
        source_id=source_id,
        while_away=recipient.is_away,
        filtered=decision == PolicyChoice.FILTER,
    )
    notification.group_key = group_key(
        kind,
        status_id=status.pk if status is not None else None,
        notification_id=notification.pk,
        day=timezone.now().date().isoformat(),
    )
    return _written(notification)


def _written(notification: Notification) -> Notification | None:
    """Save it, or None when it was written already (a retried job)."""
    try:
        with transaction.atomic():
            notification.save()
            if notification.filtered:
                request_attach(notification)
                return notification
            emit(
                NotificationCreated(
                    notification_id=notification.pk,
                    recipient_id=notification.recipient_id,
                    kind=notification.kind,
                )
            )
    except IntegrityError:
        return None
    return notification


@job(max_attempts=5)
def notify_follow(*, follow_id: int) -> None:
    follow = Follow.objects.select_related("follower", "followee").filter(pk=follow_id).first()
    if follow is None or follow.is_quiet:
        return
    notify(
        recipient=follow.followee,
        actor=follow.follower,
        kind=NotificationKind.FOLLOW,
        source_id=follow.pk,
    )


@job(max_attempts=5)
def notify_follow_request(*, request_id: int) -> None:
    request = (
        FollowRequest.objects.select_related("follower", "followee").filter(pk=request_id).first()
    )
    if request is None or request.is_quiet:
        return
    notify(
        recipient=request.followee,
        actor=request.follower,
        kind=NotificationKind.FOLLOW_REQUEST,
        source_id=request.pk,
    )


@job(max_attempts=5)
def notify_connection(*, connection_id: int) -> None:
    """An ask tells the addressee; an acceptance tells the one who asked."""
    connection = (
        Connection.objects.select_related("requester", "addressee").filter(pk=connection_id).first()
    )
    if connection is None:
        return
    if connection.state == ConnectionState.ACCEPTED:
        notify(
            recipient=connection.requester,
            actor=connection.addressee,
            kind=NotificationKind.CONNECTION_ACCEPTED,
            source_id=connection.pk,
        )
    else:
        notify(
            recipient=connection.addressee,
            actor=connection.requester,
            kind=NotificationKind.CONNECTION_REQUEST,
            source_id=connection.pk,
        )


@job(max_attempts=5)
def notify_favourite(*, favourite_id: int) -> None:
    favourite = (
        Favourite.objects.select_related("account", "status__account")
        .filter(pk=favourite_id)
        .first()
    )
    if favourite is None:
        return
    notify(
        recipient=favourite.status.account,
        actor=favourite.account,
        kind=NotificationKind.FAVOURITE,
        source_id=favourite.pk,
        status=favourite.status,
    )


@job(max_attempts=5)
def notify_status(*, status_id: int) -> None:
    """A new post tells: the people it mentions (a reply counts as mentioning the author
    replied to, as on Mastodon); for a reshare, the original's author; and the followers
    who asked to hear of each new post (`notify`), for posts they may see in a feed."""
    status = (
        Status.objects.select_related("account", "reblog_of__account", "in_reply_to__account")
        .filter(pk=status_id, removed_at__isnull=True)
        .first()
    )
    if status is None:
        return
    author = status.account
    if status.reblog_of is not None:
        notify(
            recipient=status.reblog_of.account,
            actor=author,
            kind=NotificationKind.REBLOG,
            source_id=status.pk,
            status=status.reblog_of,
        )
        return
    told: set[int] = set()
    mentioned = Profile.objects.filter(
        pk__in=Mention.objects.filter(status=status).values("profile_id")
    )
    replied_to = status.in_reply_to.account if status.in_reply_to is not None else None
    for recipient in [*mentioned, *([replied_to] if replied_to is not None else [])]:
        if recipient.pk in told:
            continue
        told.add(recipient.pk)
        notify(
            recipient=recipient,
            actor=author,
            kind=NotificationKind.MENTION,
            source_id=status.pk,
            status=status,
        )
    if status.visibility == Visibility.DIRECT or status.in_reply_to_id is not None:
        return
    # Local followers only: a remote follower has no notifications here (federation tells
    # their server), so reading whether they may see the post would be wasted.
    watchers = (
        Profile.objects.local()
        .filter(pk__in=Follow.objects.filter(followee=author, notify=True).values("follower_id"))
        .exclude(pk__in=told)
    )
    for watcher in watchers:
        if visible_statuses(watcher).filter(pk=status.pk).exists():
            notify(
                recipient=watcher,
                actor=author,
                kind=NotificationKind.STATUS,
                source_id=status.pk,
                status=status,
            )


@job(max_attempts=5)
def notify_poll_ended(*, poll_id: int) -> None:
    """An ended poll tells each voter who may still see its post (the notification's
    account is the author, as on Mastodon) and its author (their own account, like a
    handled report: the rules never let an account notify itself)."""
    poll = Poll.objects.select_related("status__account").filter(pk=poll_id).first()
    if poll is None or poll.status.removed_at is not None:
        return
    status, author = poll.status, poll.status.account
    for voter in Profile.objects.filter(pk__in=poll_voter_ids(poll.pk)):
        if visible_statuses(voter).filter(pk=status.pk).exists():
            notify(
                recipient=voter,
                actor=author,
                kind=NotificationKind.POLL,
                source_id=poll.pk,
                status=status,
            )
    if not author.is_local:
        return
    preferences = NotificationPreferences.objects.filter(owner=author).first()
    if preferences is not None and NotificationKind.POLL in preferences.muted_kinds:
        return
    notification = Notification(
        recipient=author,
        account=author,
        kind=NotificationKind.POLL,
        status=status,
        source_id=poll.pk,
        while_away=author.is_away,
    )
    notification.group_key = f"ungrouped-{notification.pk}"
    _written(notification)


@job(max_attempts=5)
def notify_report_resolved(*, report_id: int) -> None:
    """The reporter learns their report was handled (never what was done, nor by whom: the
    notification's account is the reporter's own)."""
    from staffroom.moderation.models import Report

    report = Report.objects.select_related("reporter").filter(pk=report_id).first()
    if report is None or report.reporter is None or report.resolved_at is None:
        return
    if not report.reporter.is_local:  # a remote reporter hears back through federation
        return
    notification = Notification(
        recipient=report.reporter,
        account=report.reporter,
        kind=NotificationKind.REPORT_RESOLVED,
        source_id=report.pk,
        while_away=report.reporter.is_away,
    )
    notification.group_key = f"ungrouped-{notification.pk}"
    _written(notification)


# The e-mail digest's periodic job lives in its own module; importing it here registers it
# with the scheduler, which imports each app's `tasks` module.
from staffroom.notifications.digest_tasks import notifications_email_digest  # noqa: E402

__all__ = ["notifications_email_digest"]
