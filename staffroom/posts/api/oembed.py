"""`/api/oembed`: the oEmbed answer for a post's address, so other sites can embed a public
post (an iframe of `/@handle/<id>/embed`, the one page they may frame)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.utils.html import escape
from ninja import Query, Router, Schema
from pydantic import Field

from staffroom.core.api.numbers import Int64
from staffroom.core.api.openapi import also_answers
from staffroom.core.exceptions import NOT_FOUND, NotFound
from staffroom.posts.models import Status, Visibility
from staffroom.posts.selectors import status_get_for_viewer
from staffroom.profiles.uris import instance_base_url

router = Router(tags=["statuses"])

EMBED_WIDTH_DEFAULT = 400
EMBED_SIZE_MAX = 4000
CACHE_AGE = 86_400
EMBEDDABLE = (Visibility.PUBLIC, Visibility.UNLISTED)
_POST_PATH = re.compile(r"^/@(?P<handle>[^/]+)/(?P<id>\d{1,19})(?:/embed)?/?$")


class OEmbedQuery(Schema):
    url: str = Field("", max_length=2048)
    maxwidth: Int64 | None = Field(None, ge=0)
    maxheight: Int64 | None = Field(None, ge=0)


class OEmbed(Schema):
    """oEmbed 1.0's rich type, with Mastodon's fields."""

    type: str
    version: str
    title: str
    author_name: str
    author_url: str
    provider_name: str
    provider_url: str
    cache_age: int
    html: str
    width: int
    height: int | None


def embeddable_status(url: str) -> Status:
    """The post at `url` (this server's `/@handle/<id>`, or its `/embed` page) if anyone
    may read it: public or unlisted, not a reshare. NotFound for anything else, the same
    answer for a followers-only post as for a post that never existed."""
    parts = urlsplit(url.strip())
    if (
        parts.scheme not in {"http", "https"}
        or parts.netloc.lower() != settings.STAFFROOM_DOMAIN.lower()
    ):
        raise NotFound(NOT_FOUND)
    match = _POST_PATH.match(parts.path)
    if match is None:
        raise NotFound(NOT_FOUND)
    status = status_get_for_viewer(match["id"], None)
    if (
        status.is_reblog
        or status.visibility not in EMBEDDABLE
        or status.account.acct.lower() != match["handle"].lower()
    ):
        raise NotFound(NOT_FOUND)
    return status


@router.get(
    "/oembed",
    response=OEmbed,
    openapi_extra=also_answers(404),
    summary="oEmbed for a public post's address (`url`, `maxwidth`, `maxheight`)",
)
def oembed(request: HttpRequest, query: Query[OEmbedQuery]) -> dict[str, Any]:
    """No sign-in needed. 404 for an address that is not a public or unlisted post here."""
    status = embeddable_status(query.url)
    base = instance_base_url()
    author = status.account
    width = min(query.maxwidth or EMBED_WIDTH_DEFAULT, EMBED_SIZE_MAX)
    height = min(query.maxheight, EMBED_SIZE_MAX) if query.maxheight else None
    src = f"{base}/@{author.handle}/{status.pk}/embed"
    size = f' width="{width}"' + (f' height="{height}"' if height else "")
    html = (
        f'<iframe src="{escape(src)}" class="staffroom-embed" '
        f'style="max-width: 100%; border: 0"{size} allowfullscreen="allowfullscreen" '
        f'title="{escape(f"Post by @{author.handle}")}"></iframe>'
    )
    return {
        "type": "rich",
        "version": "1.0",
        "title": f"New post by {author.handle}",
        "author_name": author.name_for_display,
        "author_url": f"{base}/@{author.handle}",
        "provider_name": settings.STAFFROOM_DOMAIN,
        "provider_url": f"{base}/",
        "cache_age": CACHE_AGE,
        "html": html,
        "width": width,
        "height": height,
    }
