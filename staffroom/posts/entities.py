"""Mastodon's Status, StatusEdit and StatusSource entities built from posts (wire formats
stay out of the models).

`status_entities` builds a whole page in a constant number of queries: mentions and tags
are prefetched once for the page (reshared originals included), the viewer's favourites,
reshares and bookmarks are read once (`viewer_marks`), and every author's Account is built
once through `account_entities`, whose counts are batched too.

Mastodon's `visibility` has four values; followers-only and connections-only posts are both
`private` there, and `pln.visibility` tells them apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db.models import prefetch_related_objects
from django.http import HttpRequest

from staffroom.core.pln import with_pln
from staffroom.mastodon_api.entities import account_entities
from staffroom.posts.models import Status, StatusEdit, Visibility
from staffroom.posts.selectors import ViewerMarks, viewer_marks
from staffroom.posts.services import tag_url
from staffroom.profiles.models import Profile
from staffroom.profiles.uris import instance_base_url

MASTODON_VISIBILITY = {
    Visibility.PUBLIC: "public",
    Visibility.UNLISTED: "unlisted",
    Visibility.FOLLOWERS: "private",
    Visibility.CONNECTIONS: "private",
    Visibility.DIRECT: "direct",
}


def mastodon_timestamp(value: datetime) -> str:
    """Mastodon's ISO 8601 timestamps: UTC, milliseconds, `Z`."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def status_url(status: Status) -> str:
    return f"{instance_base_url()}/@{status.account.handle}/{status.pk}"


def status_pln(status: Status) -> dict[str, Any]:
    """The PLN extension of a status: exactly DESIGN.md's keys."""
    return {
        "modality": status.modality,
        "visibility": status.visibility,
        "community_id": None,
        "resource": None,
    }


def _mention(profile: Profile) -> dict[str, Any]:
    url = f"{instance_base_url()}/@{profile.handle}" if profile.is_local else profile.uri
    return {"id": str(profile.pk), "username": profile.handle, "url": url, "acct": profile.acct}


@dataclass(frozen=True)
class _Page:
    """What a page of entities shares: the accounts by profile id and the viewer's marks."""

    accounts: dict[int, dict[str, Any]]
    marks: ViewerMarks
    viewer: Profile | None


def _entity(status: Status, page: _Page) -> dict[str, Any]:
    reblog = status.reblog_of
    entity: dict[str, Any] = {
        "id": str(status.pk),
        "uri": status.uri,
        "url": status_url(status),
        "created_at": mastodon_timestamp(status.created_at),
        "account": page.accounts[status.account_id],
        "content": status.content,
        "visibility": MASTODON_VISIBILITY[Visibility(status.visibility)],
        "sensitive": status.sensitive,
        "spoiler_text": status.spoiler_text,
        "media_attachments": [],
        "application": None,
        "mentions": [_mention(profile) for profile in status.mentions.all()],
        "tags": [{"name": tag.name, "url": tag_url(tag.name)} for tag in status.tags.all()],
        "emojis": [],
        "reblogs_count": status.reblogs_count,
        "favourites_count": status.favourites_count,
        "replies_count": status.replies_count,
        "in_reply_to_id": _id_or_none(status.in_reply_to_id),
        "in_reply_to_account_id": _id_or_none(status.in_reply_to_account_id),
        "reblog": _entity(reblog, page) if reblog is not None else None,
        "poll": None,
        "card": None,
        "language": status.language or None,
        "edited_at": mastodon_timestamp(status.edited_at) if status.edited_at else None,
    }
    if page.viewer is not None:
        entity.update(
            favourited=status.pk in page.marks.favourited,
            reblogged=status.pk in page.marks.reblogged,
            bookmarked=status.pk in page.marks.bookmarked,
            muted=False,
        )
        if status.account_id == page.viewer.pk and reblog is None:
            entity["pinned"] = status.pinned_at is not None
    return with_pln(entity, status_pln(status))


def _id_or_none(value: int | None) -> str | None:
    return None if value is None else str(value)


def status_entities(
    statuses: Sequence[Status], viewer: Profile | None, request: HttpRequest | None
) -> list[dict[str, Any]]:
    """Mastodon Statuses for a page of posts as `viewer` sees them (`favourited`,
    `reblogged`, `bookmarked`, `muted` and, on their own posts, `pinned` only for a
    signed-in viewer, as Mastodon). The statuses must come with their authors (and their
    originals' authors) selected, as `visible_statuses` does. Constant queries per page."""
    if not statuses:
        return []
    originals = [status.reblog_of for status in statuses if status.reblog_of is not None]
    every = [*statuses, *originals]
    prefetch_related_objects(every, "mentions", "tags")
    profiles = list({status.account_id: status.account for status in every}.values())
    accounts = {int(entity["id"]): entity for entity in account_entities(profiles, request=request)}
    marks = viewer_marks(viewer, [status.pk for status in every])
    page = _Page(accounts, marks, viewer)
    return [_entity(status, page) for status in statuses]


def status_entity(
    status: Status, viewer: Profile | None, request: HttpRequest | None
) -> dict[str, Any]:
    return status_entities([status], viewer, request)[0]


def with_suggestion(
    entity: dict[str, Any], *, reason: str, reasons: Sequence[Mapping[str, object]]
) -> dict[str, Any]:
    """`entity` marked as a "from educators like you" item mixed into a home page: its
    `pln.suggested` says why (`reason`, one line for people; `reasons`, each with `kind`,
    `text` and `weight`, for clients that show more). Takes plain values rather than the
    timelines' SuggestedItem, so posts never imports the feeds built on top of it."""
    suggestion = {"reason": reason, "reasons": [dict(item) for item in reasons]}
    return with_pln(entity, {"suggested": suggestion})


def deleted_status_entity(
    status: Status, viewer: Profile, request: HttpRequest | None
) -> dict[str, Any]:
    """The Status a delete answers: with its Markdown source in `text`, so a client can
    offer "delete and redraft", as Mastodon does."""
    entity = status_entity(status, viewer, request)
    entity["text"] = status.text
    return entity


def status_source_entity(status: Status) -> dict[str, Any]:
    return {"id": str(status.pk), "text": status.text, "spoiler_text": status.spoiler_text}


def _edit_entity(
    edit: StatusEdit | Status, account: dict[str, Any], *, created_at: datetime
) -> dict[str, Any]:
    return {
        "content": edit.content,
        "spoiler_text": edit.spoiler_text,
        "sensitive": edit.sensitive,
        "created_at": mastodon_timestamp(created_at),
        "account": account,
        "poll": None,
        "media_attachments": [],
        "emojis": [],
    }


def status_history_entities(status: Status, request: HttpRequest | None) -> list[dict[str, Any]]:
    """Mastodon's StatusEdit list, oldest first, ending with the current version; a post
    never edited answers its one version (as Mastodon does)."""
    account = account_entities([status.account], request=request)[0]
    edits = list(status.edits.order_by("id"))
    if not edits:
        return [_edit_entity(status, account, created_at=status.created_at)]
    return [_edit_entity(edit, account, created_at=edit.created_at) for edit in edits]
