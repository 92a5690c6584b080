"""Reads of custom emojis: the list for pickers, the shortcodes a text uses, and the enabled
emojis by shortcode (one query, then the cache, so a page of posts and accounts costs at
most one query whatever its size, and none when no text on it holds a `:shortcode:`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import QuerySet

from staffroom.core.images import media_url
from staffroom.emojis.models import CustomEmoji
from staffroom.profiles.uris import instance_base_url

# `:code:` not glued to a letter or digit on either side (`10:30:45` holds none);
# `:wave::smile:` holds two.
SHORTCODE_IN_TEXT = re.compile(r"(?<![A-Za-z0-9]):([a-zA-Z0-9_]{2,}):(?![A-Za-z0-9])")
CACHE_KEY = "emojis:enabled:v2"
# Bounds how long another process (per-process cache without Redis) may show a change late.
CACHE_SECONDS = 60


@dataclass(frozen=True)
class EmojiImage:
    """An enabled emoji as entities (absolute `url`, `static_url`) and this server's own
    pages (`path`, on the page's own origin) show it."""

    shortcode: str
    url: str
    static_url: str
    path: str
    visible_in_picker: bool
    category: str


def emoji_image(emoji: CustomEmoji) -> EmojiImage:
    path = media_url(emoji.image)
    url = instance_base_url() + path
    return EmojiImage(
        shortcode=emoji.shortcode,
        url=url,
        static_url=url,
        path=path,
        visible_in_picker=emoji.is_visible_in_picker,
        category=emoji.category,
    )


def enabled_emojis() -> dict[str, EmojiImage]:
    """Every enabled emoji by shortcode: from the cache, else one query (then cached).
    Services drop the cached copy when an emoji changes (after commit)."""
    cached = cache.get(CACHE_KEY)
    if isinstance(cached, dict):
        return cached
    found = {
        emoji.shortcode: emoji_image(emoji)
        for emoji in CustomEmoji.objects.filter(is_disabled=False).order_by("shortcode")
    }
    cache.set(CACHE_KEY, found, CACHE_SECONDS)
    return found


def shortcodes_in(texts: Iterable[str]) -> list[str]:
    """The `:shortcode:`s written in `texts`, in order of first use, each once."""
    found: dict[str, None] = {}
    for text in texts:
        if text and ":" in text:
            for match in SHORTCODE_IN_TEXT.finditer(text):
                found[match.group(1)] = None
    return list(found)


def emojis_in(texts: Iterable[str]) -> list[EmojiImage]:
    """The enabled emojis that `texts` use, in order of first use. No query and no cache
    read when no text holds a `:shortcode:`."""
    codes = shortcodes_in(texts)
    if not codes:
        return []
    enabled = enabled_emojis()
    return [enabled[code] for code in codes if code in enabled]


def picker_emojis() -> list[EmojiImage]:
    """What `GET /api/v1/custom_emojis` lists (as Mastodon): enabled and shown in the
    picker, by category then shortcode."""
    images = enabled_emojis().values()
    return sorted(
        (image for image in images if image.visible_in_picker),
        key=lambda image: (image.category, image.shortcode),
    )


def emojis_for_admin() -> QuerySet[CustomEmoji]:
    """Every emoji, disabled ones too, for the administrators' page."""
    return CustomEmoji.objects.order_by("category", "shortcode")


def emoji_named(shortcode: str) -> EmojiImage | None:
    """The enabled emoji with exactly this shortcode, or None."""
    return enabled_emojis().get(shortcode)
