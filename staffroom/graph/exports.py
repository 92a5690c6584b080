"""The graph's export parts: Mastodon's CSV files plus `graph.json` for what CSV cannot carry.

The CSV files are byte-compatible with what Mastodon's export page writes, so a Mastodon
server can import them (Preferences → Import and export). Every part writes only the
teacher's own side of the graph: whom they follow, list, block and mute, their connections
and the requests made by or to them. Who blocks or mutes them is never written
(SECURITY-PLAN D-1). docs/subsystems/graph.md, "Export and demo", documents the files.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from staffroom.graph.models import (
    AccountNote,
    Block,
    Connection,
    DomainBlock,
    Follow,
    FollowRequest,
    Mute,
    PurposeList,
    PurposeListMember,
)
from staffroom.leaving.export import ExportWriter, export_part
from staffroom.profiles.models import Profile

if TYPE_CHECKING:
    from staffroom.accounts.models import User

CHUNK = 2000
FOLLOWING_HEADER = ["Account address", "Show boosts", "Notify on new posts", "Languages"]
MUTED_HEADER = ["Account address", "Hide notifications"]


def address_of(profile: Profile) -> str:
    """Mastodon's export address: `handle@domain`, local accounts under STAFFROOM_DOMAIN."""
    return f"{profile.handle}@{profile.domain or settings.STAFFROOM_DOMAIN}"


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _own_profile(user: User) -> Profile | None:
    return Profile.objects.filter(user=user).first()


def _following_rows(profile: Profile) -> Iterator[list[str]]:
    follows = Follow.objects.filter(follower=profile).select_related("followee").order_by("id")
    for follow in follows.iterator(chunk_size=CHUNK):
        yield [address_of(follow.followee), _flag(follow.show_reblogs), _flag(follow.notify), ""]


@export_part(name="following", version=1, order=110)
def following_export(user: User, writer: ExportWriter) -> None:
    """`following_accounts.csv`: one row per follow (pending requests are in graph.json)."""
    profile = _own_profile(user)
    if profile is not None:
        writer.write_csv("following_accounts.csv", FOLLOWING_HEADER, _following_rows(profile))


def _list_rows(profile: Profile) -> Iterator[list[str]]:
    members = (
        PurposeListMember.objects.filter(list__owner=profile)
        .select_related("list", "profile")
        .order_by("list_id", "id")
    )
    for member in members.iterator(chunk_size=CHUNK):
        yield [member.list.title, address_of(member.profile)]


@export_part(name="lists", version=1, order=111)
def lists_export(user: User, writer: ExportWriter) -> None:
    """`lists.csv` (no header): `list title,account address` per member, as Mastodon writes
    it; lists without members have no row (graph.json lists them)."""
    profile = _own_profile(user)
    if profile is not None:
        writer.write_csv("lists.csv", None, _list_rows(profile))


@export_part(name="blocks", version=1, order=112)
def blocks_export(user: User, writer: ExportWriter) -> None:
    """`blocked_accounts.csv` (no header): the accounts the teacher blocks, never the reverse."""
    profile = _own_profile(user)
    if profile is None:
        return
    blocks = Block.objects.filter(blocker=profile).select_related("blocked").order_by("id")
    rows = ([address_of(block.blocked)] for block in blocks.iterator(chunk_size=CHUNK))
    writer.write_csv("blocked_accounts.csv", None, rows)


def _active_mutes(profile: Profile, now: datetime) -> QuerySet[Mute]:
    return (
        Mute.objects.filter(muter=profile)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .select_related("muted")
        .order_by("id")
    )


@export_part(name="mutes", version=1, order=113)
def mutes_export(user: User, writer: ExportWriter) -> None:
    """`muted_accounts.csv`: mutes in force (expired ones are ignored everywhere else too);
    their expiry is in graph.json."""
    profile = _own_profile(user)
    if profile is None:
        return
    mutes = _active_mutes(profile, timezone.now()).iterator(chunk_size=CHUNK)
    rows = ([address_of(mute.muted), _flag(mute.hide_notifications)] for mute in mutes)
    writer.write_csv("muted_accounts.csv", MUTED_HEADER, rows)


@export_part(name="domain_blocks", version=1, order=115)
def domain_blocks_export(user: User, writer: ExportWriter) -> None:
    """`blocked_domains.csv` (no header): one blocked server a line, oldest first, as
    Mastodon writes it (and reads it back with Import → Domain blocks)."""
    profile = _own_profile(user)
    if profile is None:
        return
    domains = DomainBlock.objects.filter(account=profile).order_by("id").values_list("domain")
    writer.write_csv("blocked_domains.csv", None, ([domain] for (domain,) in domains))


def _lists_document(profile: Profile) -> tuple[list[dict[str, Any]], dict[int, list[str]]]:
    """The lists with their members, and each listed profile's list ids (its purposes)."""
    lists = list(PurposeList.objects.filter(owner=profile).order_by("id"))
    listed: dict[int, list[str]] = {found.pk: [] for found in lists}
    purposes: dict[int, list[str]] = defaultdict(list)
    members = (
        PurposeListMember.objects.filter(list__owner=profile)
        .select_related("profile")
        .order_by("list_id", "id")
    )
    for member in members.iterator(chunk_size=CHUNK):
        listed[member.list_id].append(address_of(member.profile))
        purposes[member.profile_id].append(str(member.list_id))
    document = [
        {
            "id": str(found.pk),
            "title": found.title,
            "purpose": found.purpose or None,
            "exclusive": found.exclusive,
            "replies_policy": found.replies_policy,
            "created_at": found.created_at,
            "members": listed[found.pk],
        }
        for found in lists
    ]
    return document, purposes


def _follows_document(profile: Profile, purposes: dict[int, list[str]]) -> list[dict[str, Any]]:
    follows = Follow.objects.filter(follower=profile).select_related("followee").order_by("id")
    return [
        {
            "account": address_of(follow.followee),
            "show_reblogs": follow.show_reblogs,
            "notify": follow.notify,
            "quiet": follow.is_quiet,
            "purposes": purposes.get(follow.followee_id, []),
            "created_at": follow.created_at,
            "endorsed_at": follow.endorsed_at,
        }
        for follow in follows.iterator(chunk_size=CHUNK)
    ]


def _requests_document(profile: Profile) -> dict[str, list[dict[str, Any]]]:
    outgoing = FollowRequest.objects.filter(follower=profile).select_related("followee")
    incoming = FollowRequest.objects.filter(followee=profile).select_related("follower")
    return {
        "outgoing": [
            {
                "account": address_of(request.followee),
                "show_reblogs": request.show_reblogs,
                "notify": request.notify,
                "quiet": request.is_quiet,
                "purposes": [str(pk) for pk in request.purpose_list_ids],
                "created_at": request.created_at,
            }
            for request in outgoing.order_by("id")
        ],
        "incoming": [
            {"account": address_of(request.follower), "created_at": request.created_at}
            for request in incoming.order_by("id")
        ],
    }


def _connections_document(profile: Profile) -> list[dict[str, Any]]:
    connections = (
        Connection.objects.filter(Q(requester=profile) | Q(addressee=profile))
        .select_related("requester", "addressee")
        .order_by("id")
    )
    return [
        {
            "account": address_of(
                connection.addressee
                if connection.requester_id == profile.pk
                else connection.requester
            ),
            "state": connection.state,
            "asked_by": "me" if connection.requester_id == profile.pk else "them",
            "created_at": connection.created_at,
            "accepted_at": connection.accepted_at,
        }
        for connection in connections
    ]


@export_part(name="graph", version=1, order=114)
def graph_export(user: User, writer: ExportWriter) -> None:
    """`graph.json`: what the CSV files cannot carry: each follow's options and purposes
    (list ids), the lists with purpose type and `exclusive`, connections, follow requests
    both ways, mute expiries, endorsements (`endorsed_at` on a follow) and the teacher's own
    private notes."""
    profile = _own_profile(user)
    if profile is None:
        return
    lists, purposes = _lists_document(profile)
    mutes = [
        {
            "account": address_of(mute.muted),
            "hide_notifications": mute.hide_notifications,
            "expires_at": mute.expires_at,
        }
        for mute in _active_mutes(profile, timezone.now())
    ]
    writer.write_json(
        "graph.json",
        {
            "follows": _follows_document(profile, purposes),
            "lists": lists,
            "connections": _connections_document(profile),
            "follow_requests": _requests_document(profile),
            "mutes": mutes,
            "notes": _notes_document(profile),
        },
    )


def _notes_document(profile: Profile) -> list[dict[str, Any]]:
    """The teacher's own private notes on accounts (never the notes others wrote about
    them: those are their authors')."""
    notes = AccountNote.objects.filter(author=profile).select_related("target").order_by("pk")
    return [
        {"account": address_of(note.target), "comment": note.comment, "updated_at": note.updated_at}
        for note in notes
    ]
