"""The one path from user text to HTML: a Markdown subset rendered, then sanitized by nh3.

Raw HTML in the source is never passed through (markdown-it's `html` option is off), and
nh3 keeps only an allow-list of tags, attributes and URL schemes on whatever came out, so
a bug in either layer alone does not open a hole.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {"p", "br", "a", "strong", "em", "code", "pre", "ul", "ol", "li", "blockquote", "del"}
)
ALLOWED_ATTRIBUTES = {"a": frozenset({"href"})}
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer ugc"

_markdown = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .disable(["image", "heading", "lheading", "hr", "table"], ignoreInvalid=True)
    .enable(["strikethrough"], ignoreInvalid=True)
)


def sanitize_html(html: str) -> str:
    """Keep only the allow-listed markup; links get rel=nofollow noopener noreferrer ugc."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """Render the Markdown subset (paragraphs, emphasis, links, lists, code, quotes)."""
    if not text.strip():
        return ""
    return sanitize_html(_markdown.render(text)).strip()


def plain_text(html: str) -> str:
    """The text of sanitized HTML, for search indexes and previews."""
    return nh3.clean(html, tags=set()).strip()
