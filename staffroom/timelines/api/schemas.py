"""Schemas of the timelines API: the Status of a timeline page (Mastodon's, whose `pln` may
carry `suggested`), Mastodon's Marker, and what the routes accept.

Responses are dumped with `exclude_unset`, so `pln.suggested` is absent (not null) on every
item that is not a suggestion, as are the fields Mastodon leaves out."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import Field

from staffroom.posts.api.schemas import Status, StatusPln


class SuggestionReason(Schema):
    """One reason a post was suggested: `kind` (a stable word for clients), `text` (for
    people) and `weight` (how much it counted)."""

    kind: str
    text: str
    weight: float


class Suggestion(Schema):
    """Why a post that is not from anyone you follow is on your home page."""

    reason: str
    reasons: list[SuggestionReason]


class TimelineStatusPln(StatusPln):
    suggested: Suggestion | None = Field(
        None, description='Only on "from educators like you" items (`pln_suggested=true`)'
    )


class TimelineStatus(Status):
    """Mastodon's Status as a timeline answers it."""

    pln: TimelineStatusPln


class TimelineQuery(Schema):
    """Mastodon's id pagination, read leniently as Mastodon reads it: `limit` defaults to 20
    and is clamped to 40 (0, a negative sign or junk never fail); a cursor that is not a
    number is ignored, one beyond 64 bits is clamped."""

    limit: str | None = None
    max_id: str | None = None
    since_id: str | None = None
    min_id: str | None = None


class HomeQuery(TimelineQuery):
    pln_suggested: bool = Field(
        False, description='Mix in "from educators like you" posts, marked `pln.suggested`'
    )


class PublicQuery(TimelineQuery):
    local: bool = False
    remote: bool = False
    only_media: bool = False


class TagQuery(TimelineQuery):
    """`any[]`, `all[]` and `none[]`: more hashtags (see the route); `local` and `remote`
    are accepted and not applied yet."""

    any_tags: list[str] = Field(default_factory=list, alias="any")
    all_tags: list[str] = Field(default_factory=list, alias="all")
    none_tags: list[str] = Field(default_factory=list, alias="none")
    local: bool = False
    remote: bool = False
    only_media: bool = False


class Marker(Schema):
    """Mastodon's Marker: where you stopped reading a timeline."""

    last_read_id: str
    version: int
    updated_at: str


class MarkersQuery(Schema):
    timeline: list[str] = Field(default_factory=list)


class MarkerIn(Schema):
    last_read_id: Any = None


class MarkersIn(Schema):
    """`home[last_read_id]=…` and `notifications[last_read_id]=…` (form or JSON). Any other
    object (`bogus[last_read_id]=…`) is refused as an unknown timeline by the route."""

    home: MarkerIn | None = None
    notifications: MarkerIn | None = None
