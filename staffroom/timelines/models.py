"""Stored feeds: a row per post in each teacher's home feed and purpose-list feeds.

Rows are the truth (DESIGN.md: Redis may only hold hot copies). Fan-out on write fills
them in a background job; a feed is capped at FEED_ROWS_MAX rows by the scheduler, and a
page deeper than what is stored is answered by a direct query (timelines/selectors.py).
`author_id` (who posted or reshared) and `origin_author_id` (whose post it is, for a
reshare the original's author) let an unfollow, block or mute remove rows in one indexed
DELETE.
"""

from __future__ import annotations

from django.db import models

from staffroom.graph.models import PurposeList
from staffroom.posts.models import Status
from staffroom.profiles.models import Profile

FEED_ROWS_MAX = 800
SUGGESTED_PER_PAGE_DEFAULT = 2
SUGGESTED_PER_PAGE_MAX = 5


class FeedEntry(models.Model):
    """Post `status` in `owner`'s home feed (`list` null) or in one of their lists."""

    id = models.BigAutoField(primary_key=True)
    owner = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    list = models.ForeignKey(PurposeList, on_delete=models.CASCADE, null=True, related_name="+")
    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="+")
    author_id = models.BigIntegerField()
    origin_author_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "status"],
                condition=models.Q(list__isnull=True),
                name="timelines_home_entry_unique",
            ),
            models.UniqueConstraint(
                fields=["list", "status"],
                condition=models.Q(list__isnull=False),
                name="timelines_list_entry_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "list", "-status"], name="timelines_feed_page"),
            models.Index(fields=["owner", "author_id"], name="timelines_feed_author"),
            models.Index(fields=["owner", "origin_author_id"], name="timelines_feed_origin"),
        ]

    def __str__(self) -> str:
        return f"{self.status_id} in {self.owner_id}/{self.list_id or 'home'}"


class FeedPreferences(models.Model):
    """How a teacher wants their home feed: how many "from educators like you" items a
    page mixes in (0 turns them off)."""

    owner = models.OneToOneField(
        Profile, on_delete=models.CASCADE, primary_key=True, related_name="feed_preferences"
    )
    suggested_per_page = models.PositiveSmallIntegerField(default=SUGGESTED_PER_PAGE_DEFAULT)

    def __str__(self) -> str:
        return f"feed preferences of {self.owner_id}"


class MarkerTimeline(models.TextChoices):
    HOME = "home"
    NOTIFICATIONS = "notifications"


class Marker(models.Model):
    """Mastodon's read position in a timeline, saved across devices."""

    owner = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    timeline = models.CharField(max_length=16, choices=MarkerTimeline.choices)
    last_read_id = models.CharField(max_length=32)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "timeline"], name="timelines_marker_unique")
        ]

    def __str__(self) -> str:
        return f"{self.owner_id} {self.timeline} at {self.last_read_id}"
