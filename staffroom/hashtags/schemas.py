"""Wire shapes of the hashtag routes (the entities are built in `entities.py`)."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field


class TagHistory(Schema):
    day: str = Field(description="midnight UTC of the day, as a Unix timestamp")
    uses: str
    accounts: str


class Tag(Schema):
    """Mastodon's Tag; `following` and `featuring` only when signed in."""

    id: str
    name: str
    url: str
    history: list[TagHistory]
    following: bool | None = None
    featuring: bool | None = None


class FeaturedTag(Schema):
    """Mastodon's FeaturedTag."""

    id: str
    name: str
    url: str
    statuses_count: str
    last_status_at: str | None = Field(description="the date of the last post with the tag")


class FeaturedTagIn(Schema):
    # Longer than any hashtag, so that the service's clear message answers a long name.
    name: str | None = Field(None, max_length=10_000)
