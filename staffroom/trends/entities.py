"""Mastodon's PreviewCard for a trending link (the URL, the host as provider, a title from
the path; no page is fetched), with its `history`. Trending tags are
`hashtags.entities.tag_entities`' and trending posts `posts.entities.status_entities`'."""

from __future__ import annotations

from typing import TypedDict

from staffroom.trends.models import Trend


class HistoryEntity(TypedDict):
    day: str
    uses: str
    accounts: str


class TrendingLinkEntity(TypedDict):
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
    image: None
    image_description: str
    embed_url: str
    blurhash: None
    published_at: None
    history: list[HistoryEntity]


def _history(trend: Trend) -> list[HistoryEntity]:
    return [
        {"day": str(day["day"]), "uses": str(day["uses"]), "accounts": str(day["accounts"])}
        for day in trend.history
    ]


def trending_link_entities(trends: list[Trend]) -> list[TrendingLinkEntity]:
    """PreviewCards for rows with `link` loaded."""
    return [
        {
            "url": trend.link.url,
            "title": trend.link.title,
            "description": "",
            "type": "link",
            "author_name": "",
            "author_url": "",
            "provider_name": trend.link.host,
            "provider_url": f"https://{trend.link.host}",
            "html": "",
            "width": 0,
            "height": 0,
            "image": None,
            "image_description": "",
            "embed_url": "",
            "blurhash": None,
            "published_at": None,
            "history": _history(trend),
        }
        for trend in trends
        if trend.link is not None
    ]
