"""What teachers do with hashtags: follow them (their public posts join the home feed) and
feature them on their profile. The tags themselves (`posts.Tag`) belong to posts."""

from __future__ import annotations

from django.db import models

from staffroom.core.fields import SnowflakeIdField
from staffroom.posts.models import Tag
from staffroom.profiles.models import Profile

# Mastodon's cap on featured tags per account.
FEATURED_TAGS_MAX = 10


class TagFollow(models.Model):
    """`profile` follows hashtag `tag`: its public posts reach their home feed."""

    id = SnowflakeIdField()
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "tag"], name="hashtags_follow_unique")
        ]
        # Fan-out asks "who follows these tags?".
        indexes = [models.Index(fields=["tag", "profile"], name="hashtags_follow_tag")]

    def __str__(self) -> str:
        return f"{self.profile_id} follows #{self.tag_id}"


class FeaturedTag(models.Model):
    """`profile` features hashtag `tag` on their profile (at most FEATURED_TAGS_MAX)."""

    id = SnowflakeIdField()
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "tag"], name="hashtags_featured_unique")
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} features #{self.tag_id}"
