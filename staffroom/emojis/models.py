"""The server's custom emojis: a shortcode (`:blobteacher:`) that posts, display names and
bios may use, and the image shown in its place. Administrators manage them
(`/moderation/emojis`); `GET /api/v1/custom_emojis` lists them."""

from __future__ import annotations

import re

from django.db import models
from django.db.models.functions import Lower

SHORTCODE_PATTERN = re.compile(r"[a-zA-Z0-9_]{2,}")
SHORTCODE_MAX_LENGTH = 64
CATEGORY_MAX_LENGTH = 64
# Mastodon's limit for a local custom emoji.
EMOJI_MAX_BYTES = 256 * 1024
# The box the stored image fits in (never upscaled).
EMOJI_SIZE = 128


class CustomEmoji(models.Model):
    """One custom emoji. `image` is a storage name made by `core.images.store_image` (the
    upload decoded and re-encoded: first frame only, no metadata)."""

    shortcode = models.CharField(max_length=SHORTCODE_MAX_LENGTH)
    image = models.CharField(max_length=255)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    category = models.CharField(max_length=CATEGORY_MAX_LENGTH, blank=True)
    is_visible_in_picker = models.BooleanField(default=True)
    is_disabled = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # `:BlobCat:` and `:blobcat:` would be too easy to confuse.
            models.UniqueConstraint(Lower("shortcode"), name="emojis_shortcode_unique_ci"),
        ]
        ordering = ["category", "shortcode"]

    def __str__(self) -> str:
        return f":{self.shortcode}:"
