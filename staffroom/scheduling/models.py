"""Scheduled posts (Mastodon's ScheduledStatus): a post checked now and published later.

`params` holds what `posts.services.status_create` will be given, already checked and with
the author's posting defaults applied: `text`, `spoiler_text`, `sensitive`, `language`,
`visibility` (ours: `followers` and `connections` stay apart), `modality`,
`in_reply_to_id`, `media_ids`, `poll`, `idempotency` and `application_id`. The uploads a
scheduled post will carry are held by `ScheduledStatusMedia` rows, so the sweep of unused
uploads leaves them alone (`media_holders.py`).
"""

from __future__ import annotations

from django.db import models

from staffroom.core.fields import SnowflakeIdField
from staffroom.media.models import MediaAttachment
from staffroom.profiles.models import Profile


class ScheduledStatus(models.Model):
    id = SnowflakeIdField()
    account = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    scheduled_at = models.DateTimeField()
    params = models.JSONField(default=dict)
    # Publishing tries so far: a row that keeps failing for an unexpected reason is given
    # up after a few tries instead of being retried forever.
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["scheduled_at"], name="scheduling_due"),
            models.Index(fields=["account", "-id"], name="scheduling_account"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} at {self.scheduled_at:%Y-%m-%d %H:%M}"


class ScheduledStatusMedia(models.Model):
    """An upload a scheduled post will carry (the order is `params["media_ids"]`')."""

    scheduled_status = models.ForeignKey(
        ScheduledStatus, on_delete=models.CASCADE, related_name="media_links"
    )
    media = models.ForeignKey(MediaAttachment, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["media"], name="scheduling_media_once"),
        ]

    def __str__(self) -> str:
        return f"{self.media_id} for {self.scheduled_status_id}"
