"""Schemas of the trends API: Mastodon's Tag and PreviewCard with `history`, and what the
routes accept (read leniently, as Mastodon reads them: junk never fails a list)."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field


class TagHistory(Schema):
    day: str = Field(description="Unix time of the UTC midnight opening the day")
    uses: str
    accounts: str


class TrendingLink(Schema):
    url: str
    title: str
    description: str
    type: str
    author_name: str
    author_url: str
    provider_name: str
    provider_url: str
    html: str
    width: int
    height: int
    image: str | None
    image_description: str
    embed_url: str
    blurhash: str | None
    published_at: str | None
    history: list[TagHistory]


class TrendsQuery(Schema):
    """`limit` (clamped to the kind's maximum; 0, junk or absent is the default) and
    `offset` (junk or negative is 0; past the stored candidates, an empty page)."""

    limit: str | None = None
    offset: str | None = None
