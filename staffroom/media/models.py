"""Media attachments: images, audio, video and documents a teacher uploads for a post.

An attachment belongs to its uploader from the start and to a post once it is attached
(`status` set, at most four per post, in `position` order), as on Mastodon. The upload is
stored as it came (`upload`, never served) until a job has proven and rewritten it
(`file`, `preview`); then the upload is deleted. Files live in Django's default storage
(the file system, or S3-compatible storage), under server-made names.

`status` is a foreign key without a database constraint, and its rows are deleted by the
media app itself when StatusDeleted says the post went (`subscribers.py`): a cascade would
delete the rows before anyone could read which stored files to delete with them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from staffroom.core.fields import SnowflakeIdField
from staffroom.profiles.models import Profile

DESCRIPTION_MAX = 1500  # Mastodon's limit for alt text
TRANSCRIPT_MAX = 20_000
ORIGINAL_NAME_MAX = 255
STORAGE_NAME_MAX = 255


class MediaType(models.TextChoices):
    IMAGE = "image", _("Image")
    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Audio")
    DOCUMENT = "document", _("Document")


class MediaState(models.TextChoices):
    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class MediaAttachment(models.Model):
    id = SnowflakeIdField()
    account = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    status = models.ForeignKey(
        "posts.Status",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="media_attachments",
    )
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=16, choices=MediaType.choices)
    state = models.CharField(
        max_length=16, choices=MediaState.choices, default=MediaState.PROCESSING
    )
    # Why processing failed: a staffroom.media.processing RejectionCode (the teacher's
    # sentence comes from media/errors.py).
    error_code = models.CharField(max_length=64, blank=True, default="")
    upload = models.CharField(max_length=STORAGE_NAME_MAX, blank=True, default="")
    file = models.CharField(max_length=STORAGE_NAME_MAX, blank=True, default="")
    content_type = models.CharField(max_length=128, blank=True, default="")
    preview = models.CharField(max_length=STORAGE_NAME_MAX, blank=True, default="")
    # Bytes this attachment takes in storage (upload, then file and preview): the quota.
    stored_bytes = models.BigIntegerField(default=0)
    # Mastodon's `meta` without `focus`: original/small sizes, duration, frame rate, bitrate.
    meta = models.JSONField(default=dict, blank=True)
    # What Mastodon has no field for: `waveform` (audio), `format` and `pages` (documents).
    extra = models.JSONField(default=dict, blank=True)
    blurhash = models.CharField(max_length=100, blank=True, default="")
    description = models.TextField(blank=True, default="")
    transcript = models.TextField(blank=True, default="")
    # A video's captions: a WebVTT file written anew from the teacher's (media/captions.py).
    captions = models.CharField(max_length=STORAGE_NAME_MAX, blank=True, default="")
    captions_language = models.CharField(max_length=16, blank=True, default="")
    focus_x = models.FloatField(default=0.0)
    focus_y = models.FloatField(default=0.0)
    # The name the file had on the teacher's computer, made safe; shown on document cards
    # and used for downloads. Never used to store or type the file.
    original_name = models.CharField(max_length=ORIGINAL_NAME_MAX, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "position"], name="media_status_position"),
            models.Index(fields=["account", "-id"], name="media_account"),
            models.Index(
                fields=["created_at"],
                condition=models.Q(status__isnull=True),
                name="media_unattached",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} by {self.account_id}"

    @property
    def is_ready(self) -> bool:
        return self.state == MediaState.READY

    @property
    def stored_names(self) -> list[str]:
        return [name for name in (self.upload, self.file, self.preview, self.captions) if name]
