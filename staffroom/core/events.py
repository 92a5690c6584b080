"""Domain events: every side effect a service causes, named where it is caused.

A service writes its own rows, then calls `emit(SomethingHappened(...))` in the same
transaction. Other apps react by subscribing, each to the events it cares about, in its
`subscribers.py` (imported by its AppConfig.ready()):

    @subscriber(StatusCreated)
    def _fan_out(event: StatusCreated) -> None:
        enqueue(status_fan_out, status_id=event.status_id)

Two phases, chosen per subscription:

- `Phase.IN_TRANSACTION` (the default) runs inside the emitting transaction, at `emit`.
  For bookkeeping that must commit or roll back with its cause (counters, removing feed
  rows after an unfollow so the next page is already right) and for durable work: a job
  enqueued here (`core.jobs.enqueue`) is written in the same transaction and runs after
  commit, so neither a rollback nor a crash after commit can lose or invent it. This is
  how notifications, fan-out and, later, search indexing and federation delivery run.
  A failure here fails the service (nothing is half-written).
- `Phase.AFTER_COMMIT` runs once the transaction has committed, best effort (a failure is
  logged, never raised): for what may be lost with a crash, such as telling open
  streaming connections or dropping a cache entry.

Events carry ids and plain values, never model instances: a job or an after-commit
subscriber reloads what it needs, and the same event can later be serialised for a queue.
Bulk paths that write around the services (the demo, benchmark loaders, imports) emit
`BulkLoaded` naming what they wrote, and each owner rebuilds what derives from it.

The event catalogue is below; docs/overview/architecture.md holds the table of who emits
and who subscribes, and a test keeps that table in step with `subscriptions()`.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

from django.db import transaction

logger = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class Event:
    """Base of every domain event: a frozen record of something that happened."""


# --- Posts --------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class StatusCreated(Event):
    """A post, reply or reshare (`reblog_of_id` set) was published."""

    status_id: int
    account_id: int
    visibility: str
    created_at: datetime
    reblog_of_id: int | None = None
    in_reply_to_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class StatusEdited(Event):
    """A post's text, content warning or language changed (the row keeps its id)."""

    status_id: int
    account_id: int


@dataclass(frozen=True, kw_only=True)
class StatusDeleted(Event):
    """A status row is gone for good (its author deleted it, undid a reshare, the post it
    reshared was deleted, or the account was deleted). Emitted once per row, reshares that
    went with a deleted post included."""

    status_id: int
    account_id: int
    visibility: str
    reblog_of_id: int | None = None
    was_removed: bool = False  # it had been removed by a moderator (no longer counted)
    # What went with the row, for those who must tell its audience (streaming's deletes).
    mentioned_ids: tuple[int, ...] = ()
    tag_keys: tuple[str, ...] = ()  # the normal forms of its hashtags


@dataclass(frozen=True, kw_only=True)
class StatusRemoved(Event):
    """A moderator hid a post from everyone (the row stays for an appeal)."""

    status_id: int
    account_id: int
    visibility: str


@dataclass(frozen=True, kw_only=True)
class StatusRestored(Event):
    """A moderator brought a removed post back."""

    status_id: int
    account_id: int
    visibility: str
    created_at: datetime


@dataclass(frozen=True, kw_only=True)
class PollEnded(Event):
    """A poll's time ran out; emitted once per poll by the polls' periodic job."""

    poll_id: int
    status_id: int


@dataclass(frozen=True, kw_only=True)
class FavouriteCreated(Event):
    favourite_id: int
    account_id: int
    status_id: int


@dataclass(frozen=True, kw_only=True)
class FavouriteDeleted(Event):
    account_id: int
    status_id: int


# --- The social graph ---------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class FollowCreated(Event):
    follow_id: int
    follower_id: int
    followee_id: int
    is_quiet: bool


@dataclass(frozen=True, kw_only=True)
class FollowDeleted(Event):
    """A follow ended: an unfollow, a removed follower, a block, or a deleted account."""

    follower_id: int
    followee_id: int


@dataclass(frozen=True, kw_only=True)
class FollowRequested(Event):
    """A follow request to a locked account was made (not sent again when repeated)."""

    request_id: int
    follower_id: int
    followee_id: int
    is_quiet: bool


@dataclass(frozen=True, kw_only=True)
class ConnectionAsked(Event):
    connection_id: int
    requester_id: int
    addressee_id: int


@dataclass(frozen=True, kw_only=True)
class ConnectionAccepted(Event):
    connection_id: int
    requester_id: int
    addressee_id: int


@dataclass(frozen=True, kw_only=True)
class BlockCreated(Event):
    blocker_id: int
    blocked_id: int


@dataclass(frozen=True, kw_only=True)
class BlockDeleted(Event):
    blocker_id: int
    blocked_id: int


@dataclass(frozen=True, kw_only=True)
class MuteSaved(Event):
    """A mute was made, or made again with new options."""

    muter_id: int
    muted_id: int
    hide_notifications: bool


@dataclass(frozen=True, kw_only=True)
class MuteDeleted(Event):
    muter_id: int
    muted_id: int


@dataclass(frozen=True, kw_only=True)
class ListMembersAdded(Event):
    """Accounts were filed into one of `owner_id`'s purpose lists (some may have been in it
    already: subscribers must be idempotent)."""

    owner_id: int
    list_id: int
    profile_ids: tuple[int, ...]


@dataclass(frozen=True, kw_only=True)
class ListMembersRemoved(Event):
    owner_id: int
    list_id: int
    profile_ids: tuple[int, ...]


# --- Accounts -----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class AccountSuspended(Event):
    profile_id: int


@dataclass(frozen=True, kw_only=True)
class AccountUnsuspended(Event):
    profile_id: int


@dataclass(frozen=True, kw_only=True)
class AccountLimited(Event):
    profile_id: int


@dataclass(frozen=True, kw_only=True)
class AccountUnlimited(Event):
    profile_id: int


@dataclass(frozen=True, kw_only=True)
class ProfileUpdated(Event):
    """A profile's public text changed: created, edited (name, bio, professional
    profile) or blanked when its teacher left."""

    profile_id: int


# --- Hashtags -----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class TagFollowed(Event):
    """A teacher followed a hashtag: its public posts now reach their home feed."""

    profile_id: int
    tag_id: int


@dataclass(frozen=True, kw_only=True)
class TagUnfollowed(Event):
    """A teacher stopped following a hashtag (or their account went)."""

    profile_id: int
    tag_id: int


# --- Filters ----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class FiltersChanged(Event):
    """A teacher's filters changed (made, edited, deleted, a keyword or post added or
    taken out): their open streams are told `filters_changed`."""

    account_id: int


# --- Media ------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class MediaUploaded(Event):
    """A teacher uploaded a file; `processed` is False when a job still has to prove and
    rewrite it (audio, video, documents), True when it was done in the request."""

    media_id: int
    account_id: int
    kind: str
    processed: bool


@dataclass(frozen=True, kw_only=True)
class MediaDeleted(Event):
    """Attachment rows are gone (deleted by their owner, with their post or their teacher,
    or swept as never attached); `stored_names` are the files in storage to delete, which
    may also be an upload a job already replaced."""

    media_ids: tuple[int, ...]
    stored_names: tuple[str, ...]


# --- Imports ----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ImportQueued(Event):
    """An import has rows left to apply (just uploaded, retried, or the next batch)."""

    import_id: int
    owner_id: int


# --- Moderation -------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ReportResolved(Event):
    """A moderator closed a report (with or without action)."""

    report_id: int
    reporter_id: int | None


# --- Notifications ------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class NotificationCreated(Event):
    """A notification was written for a local teacher (the notification jobs)."""

    notification_id: int
    recipient_id: int
    kind: str


# --- Feeds -------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class FeedsExtended(Event):
    """A new post was written into stored feeds by fan-out (`timelines/fanout.py`): the home
    feeds of `home_owner_ids` and the purpose lists `list_ids`. Not emitted for backfills
    (a follow bringing older posts), as Mastodon streams only what is new."""

    status_id: int
    home_owner_ids: tuple[int, ...]
    list_ids: tuple[int, ...]


# --- Announcements -----------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class AnnouncementPublished(Event):
    """An announcement was published, or a published one was edited."""

    announcement_id: int


@dataclass(frozen=True, kw_only=True)
class AnnouncementReacted(Event):
    """A teacher added or took back a reaction `name` to an announcement."""

    announcement_id: int
    name: str


@dataclass(frozen=True, kw_only=True)
class AnnouncementWithdrawn(Event):
    """A published announcement was unpublished or deleted."""

    announcement_id: int


# --- Bulk paths ---------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class BulkLoaded(Event):
    """Rows were written in bulk around the services (the demo, a benchmark loader, an
    import): `models` names them by label ("posts.Status", "graph.Follow"). Owners rebuild
    what derives from those rows (stored feeds, counters) once, instead of per row."""

    models: frozenset[str]


# --- Dispatch -----------------------------------------------------------------------------


class Phase(enum.Enum):
    IN_TRANSACTION = "in transaction"
    AFTER_COMMIT = "after commit"


# A subscriber takes one event of the types it is registered for (a union when several).
Handler = TypeVar("Handler", bound=Callable[[Any], None])


@dataclass(frozen=True)
class Subscription:
    event_type: type[Event]
    handler: Callable[[Event], None]
    phase: Phase

    @property
    def name(self) -> str:
        return f"{self.handler.__module__}.{self.handler.__qualname__}"


_subscriptions: dict[type[Event], list[Subscription]] = {}


def subscriber(
    *event_types: type[Event], phase: Phase = Phase.IN_TRANSACTION
) -> Callable[[Handler], Handler]:
    """Register the decorated function for each of `event_types`, in `phase`.

    Registering the same function again (a module imported twice) is a no-op. Subscribers
    of one event run in the order they were registered; none may rely on another's work
    beyond what the emitting service has written.
    """

    def register(handler: Handler) -> Handler:
        for event_type in event_types:
            found = _subscriptions.setdefault(event_type, [])
            entry = Subscription(event_type, handler, phase)
            if all(existing.name != entry.name for existing in found):
                found.append(entry)
        return handler

    return register


def subscriptions() -> list[Subscription]:
    """Every registered subscription, by event name then registration order."""
    return [
        entry
        for event_type in sorted(_subscriptions, key=lambda cls: cls.__name__)
        for entry in _subscriptions[event_type]
    ]


def event_types() -> list[type[Event]]:
    """Every event class of the catalogue (subclasses of Event defined in this module)."""
    return sorted(
        (cls for cls in Event.__subclasses__() if cls.__module__ == __name__),
        key=lambda cls: cls.__name__,
    )


def emit(event: Event) -> None:
    """Tell the subscribers of `event`'s type that it happened.

    Call it in the transaction that wrote the rows the event is about, after writing them.
    In-transaction subscribers run now (their exceptions propagate, so the caller's
    transaction rolls back); after-commit subscribers are queued with
    `transaction.on_commit` (run at once outside a transaction).
    """
    for entry in _subscriptions.get(type(event), ()):
        if entry.phase is Phase.IN_TRANSACTION:
            entry.handler(event)
        else:
            transaction.on_commit(partial(_run_after_commit, entry, event))


def _run_after_commit(entry: Subscription, event: Event) -> None:
    try:
        entry.handler(event)
    except Exception:
        logger.exception("Subscriber %s failed on %s", entry.name, type(event).__name__)
