"""The external links of a post's rendered content, normalised; no page is ever fetched.

A link counts when it is an `<a href>` to http(s) that is neither a mention nor a hashtag
(`core/html.py` marks those with the `mention` class) nor a page of this server. The URL
is normalised so that one page is one link: the scheme and host lower-cased, the default
port and the fragment dropped, at most LINK_URL_MAX_LENGTH bytes in UTF-8 (a longer one is
left out rather than cut, since a cut URL names another page).
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit, urlunsplit

from django.conf import settings

from staffroom.trends.models import LINK_TITLE_MAX_LENGTH, LINK_URL_MAX_LENGTH

LINKS_PER_POST_MAX = 10
_SKIPPED_CLASSES = frozenset({"mention", "hashtag"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
HOST_MAX_LENGTH = 253  # the longest DNS name


@dataclass(frozen=True)
class LinkCard:
    """What a link's card shows: the URL, the host as provider, a title from the path."""

    url: str
    host: str
    title: str


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "a":
            return
        values = dict(attrs)
        classes = set((values.get("class") or "").split())
        href = values.get("href")
        if href and not classes & _SKIPPED_CLASSES:
            self.hrefs.append(href)


def normalize_url(href: str) -> str | None:
    """`href` in its normal form, or None when it is not an external http(s) link."""
    try:
        parts = urlsplit(href.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if scheme not in _DEFAULT_PORTS or not 0 < len(host) <= HOST_MAX_LENGTH or host == _own_host():
        return None
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    url = urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))
    # Bytes, not characters: the unique index on PostgreSQL holds at most about 2,700 bytes.
    return url if len(url.encode()) <= LINK_URL_MAX_LENGTH else None


def _own_host() -> str:
    return str(settings.STAFFROOM_DOMAIN).split(":")[0].lower()


def links_in(content: str) -> list[str]:
    """The normalised external links of rendered post content, first seen first, at most
    LINKS_PER_POST_MAX."""
    parser = _Anchors()
    parser.feed(content)
    parser.close()
    found: dict[str, None] = {}
    for href in parser.hrefs:
        url = normalize_url(href)
        if url is not None:
            found.setdefault(url)
        if len(found) >= LINKS_PER_POST_MAX:
            break
    return list(found)


def link_card(url: str) -> LinkCard:
    """The card of a normalised URL: the last meaningful path segment, made readable
    (`/blog/exit-tickets-that-work.html` reads "Exit tickets that work"), or the host."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    segments = [segment for segment in parts.path.split("/") if segment]
    title = host
    if segments:
        last = unquote(segments[-1]).rsplit(".", 1)[0] if "." in segments[-1] else segments[-1]
        words = " ".join(unquote(last).replace("-", " ").replace("_", " ").split())
        if words:
            title = words[:1].upper() + words[1:]
    return LinkCard(url=url, host=host, title=title[:LINK_TITLE_MAX_LENGTH])
