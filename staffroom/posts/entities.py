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

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NotRequired, TypedDict

from django.db.models import prefetch_related_objects
from django.http import HttpRequest

from staffroom.emojis.entities import CustomEmojiEntity, emoji_entities_in
from staffroom.filters.entities import FilterResultEntity, filter_result_entities
from staffroom.filters.selectors import ViewerFilters, viewer_filters, viewer_filters_for
from staffroom.mastodon_api.entities import AccountEntity, account_entities, account_pln
from staffroom.media.entities import (
    MediaAttachmentEntity,
    attachment_entities_by_status,
    media_attachment_entities,
)
from staffroom.media.selectors import attachments_of_status
from staffroom.polls.entities import PollEntity, poll_entity
from staffroom.polls.selectors import (
    OwnVotes,
    PollView,
    own_votes,
    own_votes_for,
    poll_views_for_statuses,
)
from staffroom.posts.models import Status, StatusEdit, Visibility
from staffroom.posts.selectors import ViewerMarks, viewer_marks, viewer_marks_for
from staffroom.posts.services import tag_url
from staffroom.posts.visibility_words import MASTODON_VISIBILITY
from staffroom.profiles.models import Profile
from staffroom.profiles.uris import instance_base_url


class MentionEntity(TypedDict):
    """Mastodon's Status::Mention."""

    id: str
    username: str
    url: str
    acct: str


class TagEntity(TypedDict):
    """Mastodon's Status::Tag."""

    name: str
    url: str


class SuggestionReasonEntity(TypedDict):
    """One reason a post was suggested: `kind` for clients, `text` for people."""

    kind: str
    text: str
    weight: float


class SuggestedEntity(TypedDict):
    """`pln.suggested` of a "from educators like you" item on a home page."""

    reason: str
    reasons: list[SuggestionReasonEntity]


class StatusPlnEntity(TypedDict):
    """The PLN extension of a status: how it is made and who may see it in our words."""

    modality: str
    visibility: str
    community_id: str | None
    resource: None  # resource cards are not built yet
    suggested: NotRequired[SuggestedEntity]


class StatusEntity(TypedDict):
    """Mastodon 4.3's Status, plus `pln`. The viewer's marks (`favourited`, ...) only for a
    signed-in viewer, `pinned` only on their own posts."""

    id: str
    uri: str
    url: str
    created_at: str
    account: AccountEntity
    content: str
    visibility: str
    sensitive: bool
    spoiler_text: str
    media_attachments: list[MediaAttachmentEntity]
    application: None
    mentions: list[MentionEntity]
    tags: list[TagEntity]
    emojis: list[CustomEmojiEntity]
    reblogs_count: int
    favourites_count: int
    replies_count: int
    in_reply_to_id: str | None
    in_reply_to_account_id: str | None
    reblog: StatusEntity | None
    poll: PollEntity | None
    card: None
    language: str | None
    edited_at: str | None
    favourited: NotRequired[bool]
    reblogged: NotRequired[bool]
    bookmarked: NotRequired[bool]
    muted: NotRequired[bool]
    pinned: NotRequired[bool]
    filtered: NotRequired[list[FilterResultEntity]]
    pln: StatusPlnEntity


class DeletedStatusEntity(StatusEntity):
    """The Status a delete answers: with its Markdown source, for "delete and redraft"."""

    text: str


class _ViewerMarks(TypedDict, total=False):
    favourited: bool
    reblogged: bool
    bookmarked: bool
    muted: bool
    pinned: bool


class ContextEntity(TypedDict):
    """Mastodon's Context: the posts above and below one in its conversation."""

    ancestors: list[StatusEntity]
    descendants: list[StatusEntity]


class StatusSourceEntity(TypedDict):
    id: str
    text: str
    spoiler_text: str


class StatusEditEntity(TypedDict):
    """One version of a post in its history (Mastodon's StatusEdit)."""

    content: str
    spoiler_text: str
    sensitive: bool
    created_at: str
    account: AccountEntity
    poll: None
    media_attachments: list[MediaAttachmentEntity]
    emojis: list[CustomEmojiEntity]


def mastodon_timestamp(value: datetime) -> str:
    """Mastodon's ISO 8601 timestamps: UTC, milliseconds, `Z`."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def status_url(status: Status) -> str:
    return f"{instance_base_url()}/@{status.account.handle}/{status.pk}"


def status_pln(status: Status) -> StatusPlnEntity:
    """The PLN extension of a status: exactly DESIGN.md's keys."""
    return {
        "modality": status.modality,
        "visibility": status.visibility,
        "community_id": None,
        "resource": None,
    }


def _mention(profile: Profile) -> MentionEntity:
    url = f"{instance_base_url()}/@{profile.handle}" if profile.is_local else profile.uri
    return {"id": str(profile.pk), "username": profile.handle, "url": url, "acct": profile.acct}


@dataclass(frozen=True)
class _Page:
    """What a page of entities shares: the accounts by profile id and the viewer's marks."""

    accounts: dict[int, AccountEntity]
    marks: ViewerMarks
    viewer: Profile | None
    media: dict[int, list[MediaAttachmentEntity]]
    polls: dict[int, PollView]
    own_votes: OwnVotes
    filters: ViewerFilters | None = None
    context: str | None = None


def _entity(status: Status, page: _Page) -> StatusEntity:
    reblog = status.reblog_of
    entity: StatusEntity = {
        "id": str(status.pk),
        "uri": status.uri,
        "url": status_url(status),
        "created_at": mastodon_timestamp(status.created_at),
        "account": page.accounts[status.account_id],
        "content": status.content,
        "visibility": MASTODON_VISIBILITY[Visibility(status.visibility)],
        "sensitive": status.sensitive,
        "spoiler_text": status.spoiler_text,
        "media_attachments": page.media.get(status.pk, []),
        "application": None,
        "mentions": [_mention(profile) for profile in status.mentions.all()],
        "tags": [{"name": tag.name, "url": tag_url(tag.name)} for tag in status.tags.all()],
        "emojis": _emojis(status.account, status.content, status.spoiler_text),
        "reblogs_count": status.reblogs_count,
        "favourites_count": status.favourites_count,
        "replies_count": status.replies_count,
        "in_reply_to_id": _id_or_none(status.in_reply_to_id),
        "in_reply_to_account_id": _id_or_none(status.in_reply_to_account_id),
        "reblog": _entity(reblog, page) if reblog is not None else None,
        "poll": _poll(status, page),
        "card": None,
        "language": status.language or None,
        "edited_at": mastodon_timestamp(status.edited_at) if status.edited_at else None,
        # The viewer's marks come before `pln`: a prebuilt page keeps this key order.
        **_marks(status, page),
        **_filtered(status, page),
        "pln": status_pln(status),
    }
    return entity


def _poll(status: Status, page: _Page) -> PollEntity | None:
    view = page.polls.get(status.pk)
    return None if view is None else poll_entity(view, page.viewer, page.own_votes)


class _Filtered(TypedDict, total=False):
    filtered: list[FilterResultEntity]


def _filtered(status: Status, page: _Page) -> _Filtered:
    """Mastodon's `filtered` for a signed-in viewer in a context (a timeline, a thread,
    notifications): the viewer's filters applying there that match the post."""
    if page.viewer is None or page.context is None or page.filters is None:
        return {}
    return {"filtered": filter_result_entities(page.filters.matches(status, page.context))}


def _marks(status: Status, page: _Page) -> _ViewerMarks:
    """A signed-in viewer's marks on `status` (none for an anonymous one), and `pinned` on
    their own posts (never on a reshare)."""
    if page.viewer is None:
        return {}
    marks: _ViewerMarks = {
        "favourited": status.pk in page.marks.favourited,
        "reblogged": status.pk in page.marks.reblogged,
        "bookmarked": status.pk in page.marks.bookmarked,
        "muted": status.thread_id in page.marks.muted_threads,
    }
    if status.account_id == page.viewer.pk and status.reblog_of is None:
        marks["pinned"] = status.pinned_at is not None
    return marks


def _emojis(author: Profile, content: str, spoiler_text: str) -> list[CustomEmojiEntity]:
    """This server's emojis a local post uses (a remote post's `:shortcode:`s are its own
    server's). No query unless the text holds a `:shortcode:`."""
    if not author.is_local:
        return []
    return emoji_entities_in((spoiler_text, content))


def _id_or_none(value: int | None) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True)
class _Loaded:
    """What a page's entities share whoever views them: its posts and originals (mentions
    and tags prefetched), their authors' Accounts, their attachments and their polls."""

    every: list[Status]
    profiles: dict[int, Profile]
    accounts: dict[int, AccountEntity]
    media: dict[int, list[MediaAttachmentEntity]]
    polls: dict[int, PollView]

    @property
    def poll_ids(self) -> list[int]:
        return [view.poll.pk for view in self.polls.values()]

    @classmethod
    def read(cls, statuses: Sequence[Status], request: HttpRequest | None) -> _Loaded:
        originals = [status.reblog_of for status in statuses if status.reblog_of is not None]
        every = [*statuses, *originals]
        prefetch_related_objects(every, "mentions", "tags")
        profiles = {status.account_id: status.account for status in every}
        built = account_entities(list(profiles.values()), request=request)
        accounts = {int(entity["id"]): entity for entity in built}
        media = attachment_entities_by_status([status.pk for status in every])
        polls = poll_views_for_statuses([status.pk for status in every])
        return cls(every, profiles, accounts, media, polls)

    def page_for(
        self,
        viewer: Profile | None,
        marks: ViewerMarks,
        votes: OwnVotes,
        filters: ViewerFilters | None = None,
        context: str | None = None,
    ) -> _Page:
        """The page as `viewer` sees it: their marks, and their own Account with
        `pln.goals` (as `request`'s owner gets it on REST routes)."""
        accounts = self.accounts
        if viewer is not None and viewer.pk in self.profiles:
            own = self.profiles[viewer.pk]
            accounts = {
                **accounts,
                viewer.pk: {**accounts[viewer.pk], "pln": account_pln(own, owner=True)},
            }
        if filters is not None:
            filters.prepare(self.every)
        return _Page(accounts, marks, viewer, self.media, self.polls, votes, filters, context)


def status_entities(
    statuses: Sequence[Status],
    viewer: Profile | None,
    request: HttpRequest | None,
    *,
    context: str | None = None,
) -> list[StatusEntity]:
    """Mastodon Statuses for a page of posts as `viewer` sees them (`favourited`,
    `reblogged`, `bookmarked`, `muted` and, on their own posts, `pinned` only for a
    signed-in viewer, as Mastodon). The statuses must come with their authors (and their
    originals' authors) selected, as `visible_statuses` does. Constant queries per page.
    With a filter `context` (home, notifications, public, thread, account), a signed-in
    viewer's Statuses carry `filtered` (filters/selectors.py)."""
    if not statuses:
        return []
    loaded = _Loaded.read(statuses, request)
    marks = viewer_marks(viewer, [status.pk for status in loaded.every])
    filters = viewer_filters(viewer, request) if context is not None else None
    votes = own_votes(viewer, loaded.poll_ids)
    page = loaded.page_for(viewer, marks, votes, filters, context)
    return [_entity(status, page) for status in statuses]


def status_entities_for_viewers(
    statuses: Sequence[Status],
    viewers: Sequence[Profile | None],
    *,
    context: str | None = None,
    filters: dict[int, ViewerFilters] | None = None,
) -> dict[int | None, list[StatusEntity]]:
    """`status_entities(statuses, viewer, request)` for each of `viewers` (None: signed
    out), by viewer id, as each would get them on a REST route: the Accounts and
    attachments built once, every viewer's marks read together (three queries), so the cost
    does not grow with the number of viewers."""
    if not statuses:
        return {None if viewer is None else viewer.pk: [] for viewer in viewers}
    loaded = _Loaded.read(statuses, None)
    signed_in = [viewer for viewer in viewers if viewer is not None]
    marks = viewer_marks_for(
        [viewer.pk for viewer in signed_in], [status.pk for status in loaded.every]
    )
    if context is None:
        filters = {}
    elif filters is None:
        filters = viewer_filters_for(viewer.pk for viewer in signed_in)
    votes = own_votes_for([viewer.pk for viewer in signed_in], loaded.poll_ids)
    built: dict[int | None, list[StatusEntity]] = {}
    for viewer in viewers:
        page = loaded.page_for(
            viewer,
            ViewerMarks() if viewer is None else marks[viewer.pk],
            {} if viewer is None else votes[viewer.pk],
            None if viewer is None else filters.get(viewer.pk),
            context,
        )
        built[None if viewer is None else viewer.pk] = [
            _entity(status, page) for status in statuses
        ]
    return built


def status_entity(
    status: Status,
    viewer: Profile | None,
    request: HttpRequest | None,
    *,
    context: str | None = None,
) -> StatusEntity:
    return status_entities([status], viewer, request, context=context)[0]


def with_suggestion(
    entity: StatusEntity, *, reason: str, reasons: Sequence[SuggestionReasonEntity]
) -> StatusEntity:
    """`entity` marked as a "from educators like you" item mixed into a home page: its
    `pln.suggested` says why (`reason`, one line for people; `reasons`, each with `kind`,
    `text` and `weight`, for clients that show more). Takes plain values rather than the
    timelines' SuggestedItem, so posts never imports the feeds built on top of it."""
    suggestion: SuggestedEntity = {"reason": reason, "reasons": [item.copy() for item in reasons]}
    return {**entity, "pln": {**entity["pln"], "suggested": suggestion}}


def deleted_status_entity(
    status: Status, viewer: Profile, request: HttpRequest | None
) -> DeletedStatusEntity:
    """The Status a delete answers: with its Markdown source in `text`, so a client can
    offer "delete and redraft", as Mastodon does."""
    return {**status_entity(status, viewer, request), "text": status.text}


def status_source_entity(status: Status) -> StatusSourceEntity:
    return {"id": str(status.pk), "text": status.text, "spoiler_text": status.spoiler_text}


def _edit_entity(
    edit: StatusEdit | Status,
    account: AccountEntity,
    *,
    author: Profile,
    created_at: datetime,
    media: list[MediaAttachmentEntity],
) -> StatusEditEntity:
    return {
        "content": edit.content,
        "spoiler_text": edit.spoiler_text,
        "sensitive": edit.sensitive,
        "created_at": mastodon_timestamp(created_at),
        "account": account,
        "poll": None,
        "media_attachments": media,
        "emojis": _emojis(author, edit.content, edit.spoiler_text),
    }


def status_history_entities(status: Status, request: HttpRequest | None) -> list[StatusEditEntity]:
    """Mastodon's StatusEdit list, oldest first, ending with the current version; a post
    never edited answers its one version (as Mastodon does). Earlier versions' attachments
    are not kept: each version shows the post's attachments as they are now."""
    account = account_entities([status.account], request=request)[0]
    media = media_attachment_entities(attachments_of_status(status.pk))
    edits = list(status.edits.order_by("id"))
    if not edits:
        return [
            _edit_entity(
                status, account, author=status.account, created_at=status.created_at, media=media
            )
        ]
    return [
        _edit_entity(edit, account, author=status.account, created_at=edit.created_at, media=media)
        for edit in edits
    ]
