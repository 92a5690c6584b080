"""Mastodon's CustomEmoji entity, and the `emojis` list of the Status, Account and
Announcement entities that use some (`:shortcode:` in their text)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from staffroom.emojis.selectors import EmojiImage, emojis_in


class CustomEmojiEntity(TypedDict):
    """Mastodon's CustomEmoji: `category` is null when the emoji has none."""

    shortcode: str
    url: str
    static_url: str
    visible_in_picker: bool
    category: str | None


def custom_emoji_entity(image: EmojiImage) -> CustomEmojiEntity:
    return {
        "shortcode": image.shortcode,
        "url": image.url,
        "static_url": image.static_url,
        "visible_in_picker": image.visible_in_picker,
        "category": image.category or None,
    }


def emoji_entities_in(texts: Iterable[str]) -> list[CustomEmojiEntity]:
    """The CustomEmojis that `texts` use (enabled ones only), in order of first use: no
    query when no text holds a `:shortcode:`, else one cached read for the whole server."""
    return [custom_emoji_entity(image) for image in emojis_in(texts)]
