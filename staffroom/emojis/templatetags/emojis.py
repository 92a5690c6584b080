"""`emojify` for web pages: this server's custom emojis as images in place of their
`:shortcode:`.

`{{ post.content|emojify }}` takes HTML that was sanitized when it was saved and replaces
shortcodes only in its text, never inside a tag or an attribute, nor in `<code>` or `<pre>`;
`{{ name|emojify_text }}` escapes plain text (a display name) first. The image tag is built
with `format_html` from the shortcode (letters, digits and `_` only) and a URL the server
made, so nothing typed by a person reaches the page as markup. Disabled or unknown
shortcodes stay as written. No cache read or query unless the text holds a `:shortcode:`.
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from staffroom.emojis.selectors import SHORTCODE_IN_TEXT, EmojiImage, enabled_emojis

register = template.Library()

_TAG = re.compile(r"(<[^>]*>)")
_RAW_OPEN = re.compile(r"<(code|pre)[\s>]", re.IGNORECASE)
_RAW_CLOSE = re.compile(r"</(code|pre)\s*>", re.IGNORECASE)


def emoji_img(image: EmojiImage) -> SafeString:
    return format_html(
        '<img class="emoji" src="{}" alt=":{}:" title=":{}:" width="20" height="20" '
        'draggable="false">',
        image.path,
        image.shortcode,
        image.shortcode,
    )


def _replace_in_text(text: str, enabled: dict[str, EmojiImage]) -> str:
    def swap(match: re.Match[str]) -> str:
        image = enabled.get(match.group(1))
        return str(emoji_img(image)) if image is not None else match.group(0)

    return SHORTCODE_IN_TEXT.sub(swap, text)


def emojify_html(html: str) -> SafeString:
    """Sanitized HTML with its shortcodes (in text only) as emoji images."""
    if ":" not in html or not SHORTCODE_IN_TEXT.search(html):
        return mark_safe(html)  # noqa: S308 - callers pass HTML sanitized when it was saved
    enabled = enabled_emojis()
    if not enabled:
        return mark_safe(html)  # noqa: S308 - as above
    parts: list[str] = []
    raw_depth = 0
    for piece in _TAG.split(html):
        if piece.startswith("<"):
            if _RAW_OPEN.match(piece):
                raw_depth += 1
            elif _RAW_CLOSE.match(piece):
                raw_depth = max(0, raw_depth - 1)
            parts.append(piece)
        else:
            parts.append(piece if raw_depth else _replace_in_text(piece, enabled))
    return mark_safe("".join(parts))  # noqa: S308 - only our own <img> tags were added


@register.filter
def emojify(html: str) -> SafeString:
    """For HTML sanitized when saved (a post's content, a bio)."""
    return emojify_html(str(html or ""))


@register.filter
def emojify_text(text: str) -> SafeString:
    """For plain text (a display name, a content warning): escaped, then emojified."""
    return emojify_html(str(conditional_escape(text or "")))
