"""Posts (statuses), their edits, mentions and hashtags, and what people do with them:
favourites, reshares (a status row pointing at the original, as Mastodon stores them) and
bookmarks.

Replies, favourites and reshares are counted in columns updated with `F()` in the same
transaction as the row they count, so a page of posts never pays a COUNT per post.
Every status carries `thread_id`, the id of the root of its conversation, so a thread is
read with one indexed query whatever its depth.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from staffroom.core.fields import SnowflakeIdField
from staffroom.core.pln import Modality
from staffroom.profiles.models import Profile

TAG_NAME_MAX_LENGTH = 100
LANGUAGE_MAX_LENGTH = 16


class Visibility(models.TextChoices):
    """Who may see a post. Over the Mastodon API, followers and connections are both
    `private`; `pln.visibility` tells them apart (DESIGN.md)."""

    PUBLIC = "public", _("Public")
    UNLISTED = "unlisted", _("Unlisted")
    FOLLOWERS = "followers", _("Followers only")
    CONNECTIONS = "connections", _("Connections only")
    DIRECT = "direct", _("Mentioned people only")


class Tag(models.Model):
    """A hashtag, named as first written and matched by `normalized`
    (`core.hashtags.normalize_tag`: `#Café`, `#CAFE` and `#cafe` are one tag).

    `trendable` is a moderator's review (Mastodon's model): None until reviewed, and an
    unreviewed tag never trends; `requested_review_at` says when it first asked to.
    """

    name = models.CharField(max_length=TAG_NAME_MAX_LENGTH)
    normalized = models.CharField(max_length=TAG_NAME_MAX_LENGTH * 2, unique=True)
    trendable = models.BooleanField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    requested_review_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"#{self.name}"


class Status(models.Model):
    """A post, a reply, or a reshare (`reblog_of` set, no text of its own)."""

    id = SnowflakeIdField()
    account = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="statuses")
    uri = models.CharField(max_length=2048, unique=True)
    # The Markdown source as typed; `content` is it rendered and sanitized (posts/text.py).
    text = models.TextField(blank=True, default="")
    content = models.TextField(blank=True, default="")
    spoiler_text = models.CharField(max_length=1000, blank=True, default="")
    sensitive = models.BooleanField(default=False)
    # Removed by a moderator: hidden from everyone, kept for an appeal (moderation/services.py).
    removed_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=LANGUAGE_MAX_LENGTH, blank=True, default="")
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    modality = models.CharField(max_length=16, choices=Modality.choices, default=Modality.TEXT)
    in_reply_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replies"
    )
    in_reply_to_account = models.ForeignKey(
        Profile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The root of the conversation (its own id for a post that is not a reply).
    thread_id = models.BigIntegerField(db_index=True)
    reblog_of = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="reblogs"
    )
    mentions: models.ManyToManyField[Profile, Mention] = models.ManyToManyField(
        Profile, through="Mention", related_name="mentioned_in"
    )
    tags = models.ManyToManyField(Tag, related_name="statuses", blank=True)
    pinned_at = models.DateTimeField(null=True, blank=True)
    replies_count = models.PositiveIntegerField(default=0)
    reblogs_count = models.PositiveIntegerField(default=0)
    favourites_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "statuses"
        constraints = [
            # One reshare of a post per account.
            models.UniqueConstraint(
                fields=["account", "reblog_of"],
                condition=models.Q(reblog_of__isnull=False),
                name="posts_status_one_reblog",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "-id"], name="posts_status_account"),
            models.Index(fields=["in_reply_to"], name="posts_status_reply"),
        ]

    def __str__(self) -> str:
        return f"{self.pk} by {self.account_id}"

    @property
    def is_reblog(self) -> bool:
        return self.reblog_of_id is not None


class Mention(models.Model):
    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="mention_rows")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="mention_rows")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["status", "profile"], name="posts_mention_unique")
        ]
        indexes = [models.Index(fields=["profile", "status"], name="posts_mention_profile")]

    def __str__(self) -> str:
        return f"{self.profile_id} in {self.status_id}"


class StatusEdit(models.Model):
    """One version of an edited post. The first edit also stores the original, so the
    history reads oldest first, ending with the current text."""

    id = SnowflakeIdField()
    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="edits")
    text = models.TextField(blank=True, default="")
    content = models.TextField(blank=True, default="")
    spoiler_text = models.CharField(max_length=1000, blank=True, default="")
    sensitive = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"edit of {self.status_id} at {self.created_at:%Y-%m-%d %H:%M}"


class _AccountStatusRow(models.Model):
    """A teacher's mark on a post; the snowflake id orders their pages (newest first)."""

    id = SnowflakeIdField()
    account = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Favourite(_AccountStatusRow):
    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "status"], name="posts_favourite_unique")
        ]
        indexes = [models.Index(fields=["status", "-id"], name="posts_favourite_status")]

    def __str__(self) -> str:
        return f"{self.account_id} favourited {self.status_id}"


class Bookmark(_AccountStatusRow):
    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "status"], name="posts_bookmark_unique")
        ]

    def __str__(self) -> str:
        return f"{self.account_id} bookmarked {self.status_id}"


class ConversationMute(models.Model):
    """`account` muted the conversation `thread_id` (the root's id, `Status.thread_id`):
    no notifications about its posts reach them (Mastodon's status mute)."""

    account = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    thread_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "thread_id"], name="posts_conversation_mute_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id} muted thread {self.thread_id}"


class IdempotencyKey(models.Model):
    """An `Idempotency-Key` a client sent with a new post: the same key from the same
    account within an hour answers the post already made (Mastodon keeps them an hour)."""

    account = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "key"], name="posts_idempotency_unique")
        ]

    def __str__(self) -> str:
        return f"{self.account_id}:{self.key}"
