"""A post as a search result: who wrote it, when, and the words around what matched.

A post behind a content warning shows the warning, with the matching snippet folded under
it, so a search never shows at once what its author chose to hide.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.templatetags.static import static

from staffroom.core.html import plain_text
from staffroom.core.images import media_url
from staffroom.posts.models import Status
from staffroom.posts.views._cards import DEFAULT_AVATAR, status_url
from staffroom.search.highlight import highlight
from staffroom.search.query import ParsedQuery


def post_snippet(status: Status, query: ParsedQuery) -> dict[str, Any]:
    """What the results page draws for one post."""
    author = status.account
    return {
        "status": status,
        "url": status_url(status),
        "author_name": author.name_for_display,
        "author_address": f"@{author.handle}@{author.domain or settings.STAFFROOM_DOMAIN}",
        "avatar_url": media_url(author.avatar) if author.avatar else static(DEFAULT_AVATAR),
        "warning": status.spoiler_text,
        "snippet": highlight(plain_text(status.content), query),
    }
