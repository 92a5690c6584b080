"""The notifications part of the demo community: what `demo` finds on /notifications.

The earlier parts write follows, posts and favourites in bulk, which enqueues no
notification job. This part runs the real notification jobs (`tasks.py`) over the most
recent things the community did to `demo`: new followers, follow requests, the colleague
asking to connect, favourites and reshares of demo's posts, replies and mentions, and new
posts from the people demo asked to hear from. So every notification is true: the rules
(`rules.py`) decide as they would in the product (no block crossed, no muted account, no
post demo may not see), and a job may tell others too (a reply that mentions a third
colleague tells them as well), exactly as it would have when the post was written.

The jobs run oldest event first, so the notifications' order matches what happened. Like
the other parts it can run again: a job writes a notification once per recipient, kind and
source (`Notification.source_id`), so nothing is made twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from staffroom.core.demo import DemoContext, demo_part
from staffroom.core.jobs import JobFunction
from staffroom.graph.models import Connection, ConnectionState, Follow, FollowRequest
from staffroom.notifications import tasks
from staffroom.notifications.models import Notification
from staffroom.posts.models import Favourite, Status
from staffroom.profiles.models import Profile

# The most recent events of each sort to notify demo of: "some", not the whole history.
EACH = 8


@dataclass(frozen=True)
class _Event:
    """Something done to demo, and the job (with its argument) that notifies of it."""

    at: datetime
    source_id: int
    job: JobFunction
    argument: str

    def run(self) -> None:
        self.job(**{self.argument: self.source_id})


def _latest(rows: QuerySet[Any], job: JobFunction, argument: str) -> list[_Event]:
    newest = rows.order_by("-created_at", "-id").values_list("id", "created_at")[:EACH]
    return [_Event(at=at, source_id=pk, job=job, argument=argument) for pk, at in newest]


def _events(demo: Profile) -> list[_Event]:
    """The demo's recent events, each with the job that notifies of it."""
    connections = Connection.objects.filter(
        Q(addressee=demo, state=ConnectionState.ASKED)
        | Q(requester=demo, state=ConnectionState.ACCEPTED)
    )
    live = Status.objects.filter(removed_at__isnull=True).exclude(account=demo)
    talk = live.filter(
        Q(in_reply_to__account=demo) | Q(mention_rows__profile=demo), reblog_of__isnull=True
    ).distinct()
    watched = live.filter(
        account__in=Follow.objects.filter(follower=demo, notify=True).values("followee_id"),
        reblog_of__isnull=True,
        in_reply_to__isnull=True,
    )
    return [
        *_latest(
            Follow.objects.filter(followee=demo, is_quiet=False), tasks.notify_follow, "follow_id"
        ),
        *_latest(
            FollowRequest.objects.filter(followee=demo, is_quiet=False),
            tasks.notify_follow_request,
            "request_id",
        ),
        *_latest(connections, tasks.notify_connection, "connection_id"),
        *_latest(
            Favourite.objects.filter(status__account=demo).exclude(account=demo),
            tasks.notify_favourite,
            "favourite_id",
        ),
        *_latest(live.filter(reblog_of__account=demo), tasks.notify_status, "status_id"),
        *_latest(talk, tasks.notify_status, "status_id"),
        *_latest(watched, tasks.notify_status, "status_id"),
    ]


@demo_part(order=80, name="notifications")
def demo_notifications(context: DemoContext) -> None:
    """Run the notification jobs over demo's most recent events (see the module docstring)."""
    users = context.get("demo_user")
    demo = Profile.objects.filter(user__in=users).first() if users else None
    if demo is None:
        return
    events = sorted(_events(demo), key=lambda event: (event.at, event.source_id))
    for event in events:
        event.run()
    rows = Notification.objects.filter(recipient=demo)
    count, held = rows.count(), rows.filter(filtered=True).count()
    context.log(
        f"demo: {count} notifications for @demo ({len(events)} events notified, "
        f"{held} put aside by the default notification policy)"
    )
