"""Wire shapes of the social graph's API: Mastodon's Relationship and List (plus `pln`), the
PLN connection entity, and what the write routes accept.

Entities are built from the graph's selectors by the `*_entity` functions here; the models
never serialise themselves (STYLE.md 3).
"""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

from ninja import Schema
from pydantic import Field

from staffroom.graph.models import Connection, ConnectionState, PurposeList
from staffroom.graph.selectors import Relationship as RelationshipRow
from staffroom.mastodon_api.entities import Account, AccountEntity

# A JSON or form list parameter never needs more items than this; more is a 422, before
# any query (the services have their own, lower, limits).
IDS_MAX = 100
# Ids as strings (Mastodon's) or JSON numbers (what a script may send).
Ids = list[str | int]


class RelationshipPln(Schema):
    connected: bool
    connection_requested: bool
    connection_requested_by: bool
    purposes: list[str] = Field(description="ids of the viewer's lists holding the account")


class Relationship(Schema):
    """Mastodon 4.3's Relationship, plus `pln`."""

    id: str
    following: bool
    showing_reblogs: bool
    notifying: bool
    languages: list[str] | None
    followed_by: bool
    blocking: bool
    blocked_by: bool
    muting: bool
    muting_notifications: bool
    requested: bool
    requested_by: bool
    domain_blocking: bool
    endorsed: bool
    note: str
    pln: RelationshipPln


class RelationshipPlnEntity(TypedDict):
    connected: bool
    connection_requested: bool
    connection_requested_by: bool
    purposes: list[str]


class RelationshipEntity(TypedDict):
    """Mastodon 4.3's Relationship, plus `pln` (what `relationship_entity` returns)."""

    id: str
    following: bool
    showing_reblogs: bool
    notifying: bool
    languages: list[str] | None
    followed_by: bool
    blocking: bool
    blocked_by: bool
    muting: bool
    muting_notifications: bool
    requested: bool
    requested_by: bool
    domain_blocking: bool
    endorsed: bool
    note: str
    pln: RelationshipPlnEntity


def relationship_entity(row: RelationshipRow) -> RelationshipEntity:
    return {
        "id": str(row.id),
        "following": row.following,
        "showing_reblogs": row.showing_reblogs,
        "notifying": row.notifying,
        "languages": None,
        "followed_by": row.followed_by,
        "blocking": row.blocking,
        "blocked_by": row.blocked_by,
        "muting": row.muting,
        "muting_notifications": row.muting_notifications,
        "requested": row.requested,
        "requested_by": row.requested_by,
        "domain_blocking": row.domain_blocking,
        "endorsed": row.endorsed,
        "note": row.note,
        "pln": {
            "connected": row.connected,
            "connection_requested": row.connection_requested,
            "connection_requested_by": row.connection_requested_by,
            "purposes": [str(pk) for pk in row.purposes],
        },
    }


class FamiliarFollowersEntity(TypedDict):
    id: str
    accounts: list[AccountEntity]


class MutedAccountEntity(AccountEntity):
    """An Account on the mutes page, with when the mute ends (null: never)."""

    mute_expires_at: str | None


class MutedAccount(Account):
    """An Account on the mutes page: Mastodon adds when the mute ends (null: never)."""

    mute_expires_at: str | None


def iso_time(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


class FamiliarFollowers(Schema):
    id: str
    accounts: list[Account]


class ListPln(Schema):
    purpose: str | None


class List(Schema):
    """Mastodon's List, plus `pln.purpose` (null for a list without a purpose type)."""

    id: str
    title: str
    replies_policy: str
    exclusive: bool
    pln: ListPln


class ListPlnEntity(TypedDict):
    purpose: str | None


class ListEntity(TypedDict):
    """Mastodon's List, plus `pln.purpose` (what `list_entity` returns)."""

    id: str
    title: str
    replies_policy: str
    exclusive: bool
    pln: ListPlnEntity


def list_entity(found: PurposeList) -> ListEntity:
    return {
        "id": str(found.pk),
        "title": found.title,
        "replies_policy": found.replies_policy,
        "exclusive": found.exclusive,
        "pln": {"purpose": found.purpose or None},
    }


class ListPlnIn(Schema):
    purpose: str | None = Field(None, max_length=32)


class ListIn(Schema):
    """Create or update a list. The purpose may be given as `pln[purpose]` (or `pln.purpose`
    in JSON) or as a plain `purpose`; an empty one clears it."""

    title: str | None = Field(None, max_length=10_000)
    replies_policy: str | None = Field(None, max_length=32)
    exclusive: bool | None = None
    purpose: str | None = Field(None, max_length=32)
    pln: ListPlnIn | None = None

    def chosen_purpose(self) -> str | None:
        if self.pln is not None and self.pln.purpose is not None:
            return self.pln.purpose
        return self.purpose


class ListAccountsIn(Schema):
    account_ids: Ids = Field(default_factory=list)


class FollowIn(Schema):
    """Mastodon's follow parameters plus the PLN ones: `purposes` (the follower's list ids)
    and `quiet` (no "followed you" notification). Absent options keep their value."""

    reblogs: bool | None = None
    notify: bool | None = None
    languages: list[str] | None = Field(None, max_length=IDS_MAX)
    purposes: Ids = Field(default_factory=list, max_length=IDS_MAX)
    quiet: bool | None = None


class MuteIn(Schema):
    notifications: bool = True
    duration: int = 0


class PurposesIn(Schema):
    list_ids: Ids = Field(default_factory=list, max_length=IDS_MAX)


class SuggestedList(Schema):
    title: str
    purpose: str


class PlnConnection(Schema):
    """One connection record as the viewer sees it: `state` is `accepted` or `asked`;
    `direction` tells an ask the viewer made (`outgoing`) from one made to them."""

    id: str
    state: str
    direction: str
    created_at: str
    accepted_at: str | None
    account: Account


class SuggestedListEntity(TypedDict):
    title: str
    purpose: str


class PlnConnectionEntity(TypedDict):
    """One connection record as the viewer sees it (what `connection_entity` returns)."""

    id: str
    state: str
    direction: str
    created_at: str | None
    accepted_at: str | None
    account: AccountEntity


def connection_entity(
    connection: Connection, *, viewer_id: int, account: AccountEntity
) -> PlnConnectionEntity:
    return {
        "id": str(connection.pk),
        "state": connection.state,
        "direction": "outgoing" if connection.requester_id == viewer_id else "incoming",
        "created_at": iso_time(connection.created_at),
        "accepted_at": iso_time(connection.accepted_at),
        "account": account,
    }


CONNECTION_STATES = tuple(ConnectionState.values)
