"""Export requests and the handles of deleted accounts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from staffroom.profiles.handles import HANDLE_MAX_LENGTH


class ExportState(models.TextChoices):
    PENDING = "pending", _("Waiting to start")
    RUNNING = "running", _("Being built")
    READY = "ready", _("Ready to download")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class ExportRequest(models.Model):
    """One archive a teacher asked for; the row is the truth, the file follows it.

    `file_name` is the archive's name inside the private exports folder (never served as
    media); it is set once the archive is complete, with its size and expiry.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_requests"
    )
    state = models.CharField(max_length=16, choices=ExportState.choices, default="pending")
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=200, blank=True, default="")
    size = models.BigIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        constraints = [
            # At most one unfinished export per teacher, enforced by the database too.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(state__in=["pending", "running"]),
                name="export_one_unfinished_per_user",
            )
        ]
        indexes = [models.Index(fields=["state", "expires_at"], name="export_state_expiry")]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.state})"

    @property
    def is_unfinished(self) -> bool:
        return self.state in (ExportState.PENDING, ExportState.RUNNING)


class ReservedHandle(models.Model):
    """The handle (and actor URI) of a deleted local account, kept so nobody reuses it.

    Remote servers cache keys per actor URI, so a new account under the same handle could
    impersonate the old one (SECURITY-PLAN D-4). `user_id` is a plain number, not a
    foreign key: the user row is deleted by the deletion job while this row stays.
    """

    handle = models.CharField(max_length=HANDLE_MAX_LENGTH)
    uri = models.URLField(max_length=2048, blank=True, default="")
    user_id = models.BigIntegerField(null=True, blank=True, unique=True)
    reserved_at = models.DateTimeField()
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(Lower("handle"), name="reserved_handle_unique_ci")]

    def __str__(self) -> str:
        return self.handle
