"""Applying one stored row through the owning app's service, and an overwrite's removals.

Each handler finds what the row names (an account, a post, a domain) and calls the service
of the app that owns the relationship (graph: follow, block, mute, list, domain block;
posts: bookmark), so events, privacy rules and limits hold exactly as for a click: a locked
account gets a follow request, an account that blocks the teacher is not found. Handlers
return the outcome and a detail; a service's DomainError propagates to the caller, which
records it (services.import_run).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from staffroom.core.exceptions import NotFound
from staffroom.graph.models import (
    Block,
    DomainBlock,
    Follow,
    FollowRequest,
    Mute,
    PurposeList,
    PurposeListMember,
)
from staffroom.graph.services import (
    ACCOUNTS_PER_CALL_MAX,
    block_create,
    block_delete,
    domain_block_create,
    domain_block_delete,
    follow_create,
    follow_delete,
    mute_create,
    mute_delete,
    purpose_list_add_accounts,
    purpose_list_create,
    purpose_list_delete,
    purpose_list_remove_accounts,
)
from staffroom.importing.models import ImportJob, ImportRow, ImportType, RowOutcome
from staffroom.posts.models import Bookmark, Status
from staffroom.posts.services import bookmark_create, bookmark_delete
from staffroom.profiles.models import Profile
from staffroom.profiles.selectors import split_acct

Outcome = tuple[str, str]
_LOCAL_POST_PATH = re.compile(r"/(?:@[^/]+|users/[^/]+/statuses)/(\d{1,20})/?")


def not_found_detail() -> str:
    """One reason for every row not found: unknown, hidden and blocking the teacher alike, so
    the report never tells them apart."""
    return _("Nothing with this address here, or not visible to you.")


def account_key(acct: str) -> str:
    """One spelling per account: `handle` for ours, `handle@domain` for others, lower-case."""
    handle, domain = split_acct(acct)
    return f"{handle}@{domain}".lower() if domain else handle.lower()


def _profile_key(profile: Profile) -> str:
    return (
        f"{profile.handle}@{profile.domain}".lower() if profile.domain else profile.handle.lower()
    )


def _resolve(actor: Profile, acct: str) -> Profile | Outcome:
    """The account `acct` names, as the teacher may reach it; or the outcome to record: not
    on this server yet (another server's account we do not know), or not found (unknown,
    not in good standing, or blocking the teacher, who must not learn that)."""
    handle, domain = split_acct(acct)
    found = (
        Profile.objects.in_good_standing()
        .filter(handle__iexact=handle, domain__iexact=domain)
        .first()
    )
    if found is None:
        if domain:
            return RowOutcome.REMOTE, _(
                "Accounts on other servers can be followed once this server connects to others."
            )
        return RowOutcome.NOT_FOUND, not_found_detail()
    if Block.objects.filter(blocker=found, blocked=actor).exists():
        return RowOutcome.NOT_FOUND, not_found_detail()
    return found


def _following(actor: Profile, target: Profile, data: dict[str, Any]) -> Outcome:
    already = (
        Follow.objects.filter(follower=actor, followee=target).exists()
        or FollowRequest.objects.filter(follower=actor, followee=target).exists()
    )
    result = follow_create(
        actor=actor, target=target, reblogs=data.get("show_reblogs"), notify=data.get("notify")
    )
    if already:
        return RowOutcome.ALREADY, ""
    if isinstance(result, FollowRequest):
        return RowOutcome.IMPORTED, _("Follow request sent: this account approves its followers.")
    return RowOutcome.IMPORTED, ""


def _blocks(actor: Profile, target: Profile, data: dict[str, Any]) -> Outcome:
    if Block.objects.filter(blocker=actor, blocked=target).exists():
        return RowOutcome.ALREADY, ""
    block_create(actor=actor, target=target)
    return RowOutcome.IMPORTED, ""


def _mutes(actor: Profile, target: Profile, data: dict[str, Any]) -> Outcome:
    if Mute.objects.filter(muter=actor, muted=target).exists():
        return RowOutcome.ALREADY, ""
    mute_create(actor=actor, target=target, notifications=data.get("hide_notifications", True))
    return RowOutcome.IMPORTED, ""


def list_for(actor: Profile, title: str) -> PurposeList:
    """The teacher's list called `title` (the oldest, if several), created when missing."""
    found = PurposeList.objects.filter(owner=actor, title=title).order_by("id").first()
    return found or purpose_list_create(actor=actor, title=title)


def _lists(actor: Profile, target: Profile, data: dict[str, Any]) -> Outcome:
    purpose_list = list_for(actor, data["list_name"])
    if Follow.objects.filter(follower=actor, followee=target).exists():
        if PurposeListMember.objects.filter(list=purpose_list, profile=target).exists():
            return RowOutcome.ALREADY, ""
        purpose_list_add_accounts(actor=actor, list_id=purpose_list.pk, profile_ids=[target.pk])
        return RowOutcome.IMPORTED, ""
    # As Mastodon: a list holds followed accounts, so the account is followed first.
    result = follow_create(actor=actor, target=target, purposes=[purpose_list.pk])
    if isinstance(result, FollowRequest):
        return RowOutcome.IMPORTED, _(
            "Follow request sent: the account joins the list once it is accepted."
        )
    return RowOutcome.IMPORTED, ""


def _status_for(uri: str) -> Status | None:
    found = Status.objects.filter(uri=uri).first()
    if found is not None:
        return found
    parts = urlsplit(uri)
    match = _LOCAL_POST_PATH.fullmatch(parts.path)
    if parts.netloc.lower() == settings.STAFFROOM_DOMAIN.lower() and match:
        return Status.objects.filter(pk=int(match.group(1))).first()
    return None


def _bookmarks(actor: Profile, data: dict[str, Any]) -> Outcome:
    status = _status_for(data["uri"])
    if status is None:
        if urlsplit(data["uri"]).netloc.lower() == settings.STAFFROOM_DOMAIN.lower():
            return RowOutcome.NOT_FOUND, not_found_detail()
        return RowOutcome.REMOTE, _(
            "Posts on other servers can be bookmarked once this server connects to others."
        )
    if Bookmark.objects.filter(account=actor, status=status).exists():
        return RowOutcome.ALREADY, ""
    bookmark_create(actor=actor, status=status)  # NotFound for a post the teacher may not see
    return RowOutcome.IMPORTED, ""


def _domain_blocks(actor: Profile, data: dict[str, Any]) -> Outcome:
    if DomainBlock.objects.filter(account=actor, domain=data["domain"]).exists():
        return RowOutcome.ALREADY, ""
    domain_block_create(actor=actor, domain=data["domain"])
    return RowOutcome.IMPORTED, ""


_ACCOUNT_HANDLERS: dict[str, Callable[[Profile, Profile, dict[str, Any]], Outcome]] = {
    ImportType.FOLLOWING: _following,
    ImportType.BLOCKS: _blocks,
    ImportType.MUTES: _mutes,
    ImportType.LISTS: _lists,
}


def row_apply(job: ImportJob, row: ImportRow) -> Outcome:
    """Apply one row for the job's owner; returns (outcome, detail). A service's DomainError
    propagates (the caller records it: NotFound as not found, others as failed)."""
    actor = job.owner
    match job.type:
        case ImportType.BOOKMARKS:
            return _bookmarks(actor, row.data)
        case ImportType.DOMAIN_BLOCKS:
            return _domain_blocks(actor, row.data)
        case ImportType.LISTS:
            list_for(actor, row.data["list_name"])  # Mastodon makes every list in the file
    target = _resolve(actor, row.data["acct"])
    if isinstance(target, tuple):
        return target
    return _ACCOUNT_HANDLERS[job.type](actor, target, row.data)


# --- Overwrite: remove what the file does not hold ---------------------------------------


def _valid(rows: Iterable[dict[str, Any]], name: str) -> set[str]:
    return {data[name] for data in rows if name in data}


def missing_remove(job: ImportJob, rows: list[dict[str, Any]]) -> None:
    """For an overwrite import: undo, through the owning services, each relationship of the
    owner's of the job's type that the file's rows (their parsed `data`) do not name, as
    Mastodon does. Each removal is its own transaction; running it again is harmless."""
    actor = job.owner
    match job.type:
        case ImportType.FOLLOWING:
            keys = {account_key(acct) for acct in _valid(rows, "acct")}
            for follow in Follow.objects.filter(follower=actor).select_related("followee"):
                if _profile_key(follow.followee) not in keys:
                    follow_delete(actor=actor, target=follow.followee)
        case ImportType.BLOCKS:
            keys = {account_key(acct) for acct in _valid(rows, "acct")}
            for block in Block.objects.filter(blocker=actor).select_related("blocked"):
                if _profile_key(block.blocked) not in keys:
                    block_delete(actor=actor, target=block.blocked)
        case ImportType.MUTES:
            keys = {account_key(acct) for acct in _valid(rows, "acct")}
            for mute in Mute.objects.filter(muter=actor).select_related("muted"):
                if _profile_key(mute.muted) not in keys:
                    mute_delete(actor=actor, target=mute.muted)
        case ImportType.DOMAIN_BLOCKS:
            domains = _valid(rows, "domain")
            for domain in DomainBlock.objects.filter(account=actor).values_list(
                "domain", flat=True
            ):
                if domain not in domains:
                    domain_block_delete(actor=actor, domain=domain)
        case ImportType.BOOKMARKS:
            _bookmarks_remove(actor, _valid(rows, "uri"))
        case ImportType.LISTS:
            _lists_remove(actor, rows)


def _bookmarks_remove(actor: Profile, uris: set[str]) -> None:
    kept = {status.pk for uri in uris if (status := _status_for(uri)) is not None}
    for bookmark in (
        Bookmark.objects.filter(account=actor).exclude(status_id__in=kept).select_related("status")
    ):
        try:
            bookmark_delete(actor=actor, status=bookmark.status)
        except NotFound:
            continue  # a post out of the teacher's sight: its bookmark is already hidden


def _lists_remove(actor: Profile, rows: list[dict[str, Any]]) -> None:
    wanted: dict[str, set[str]] = {}
    for data in rows:
        if "list_name" in data:
            wanted.setdefault(data["list_name"], set()).update(
                {account_key(data["acct"])} if "acct" in data else set()
            )
    for purpose_list in PurposeList.objects.filter(owner=actor).order_by("id"):
        if purpose_list.title not in wanted:
            purpose_list_delete(actor=actor, list_id=purpose_list.pk)
            continue
        members = PurposeListMember.objects.filter(list=purpose_list).select_related("profile")
        gone = [
            m.profile_id
            for m in members
            if _profile_key(m.profile) not in wanted[purpose_list.title]
        ]
        for start in range(0, len(gone), ACCOUNTS_PER_CALL_MAX):
            purpose_list_remove_accounts(
                actor=actor,
                list_id=purpose_list.pk,
                profile_ids=gone[start : start + ACCOUNTS_PER_CALL_MAX],
            )
