"""Imports of Mastodon's CSV exports: one ImportJob per uploaded file, one ImportRow per line.

The rows are stored when the file is uploaded and applied by a background job, one row per
small transaction, so a crash never leaves a row half-applied and a rerun continues at the
first row without an outcome (docs/subsystems/importing.md).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from staffroom.core.fields import SnowflakeIdField
from staffroom.profiles.models import Profile

FILE_NAME_MAX_LENGTH = 255
DETAIL_MAX_LENGTH = 300


class ImportType(models.TextChoices):
    FOLLOWING = "following", _("Follows (following_accounts.csv)")
    LISTS = "lists", _("Lists (lists.csv)")
    BLOCKS = "blocks", _("Blocked accounts (blocked_accounts.csv)")
    MUTES = "mutes", _("Muted accounts (muted_accounts.csv)")
    BOOKMARKS = "bookmarks", _("Bookmarks (bookmarks.csv)")
    DOMAIN_BLOCKS = "domain_blocks", _("Blocked domains (blocked_domains.csv)")


class ImportMode(models.TextChoices):
    MERGE = "merge", _("Merge: keep what I have and add what is in the file")
    OVERWRITE = "overwrite", _("Overwrite: make it exactly what is in the file")


class ImportState(models.TextChoices):
    PENDING = "pending", _("Waiting to start")
    RUNNING = "running", _("Importing")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Stopped by an error")


class RowOutcome(models.TextChoices):
    PENDING = "", _("Not processed yet")
    IMPORTED = "imported", _("Imported")
    ALREADY = "already", _("Already there")
    NOT_FOUND = "not_found", _("Not found")
    REMOTE = "remote", _("Not on this server yet")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """One uploaded file. `total_rows` counts every stored row (broken ones included);
    progress and the report are counted from the rows' outcomes. `overwrite_done` records
    that an overwrite import has removed what the file does not hold (done first, once)."""

    id = SnowflakeIdField()
    owner = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="imports")
    type = models.CharField(max_length=16, choices=ImportType.choices)
    mode = models.CharField(max_length=16, choices=ImportMode.choices, default=ImportMode.MERGE)
    state = models.CharField(
        max_length=16, choices=ImportState.choices, default=ImportState.PENDING
    )
    file_name = models.CharField(max_length=FILE_NAME_MAX_LENGTH, blank=True, default="")
    total_rows = models.PositiveIntegerField(default=0)
    overwrite_done = models.BooleanField(default=False)
    error = models.CharField(max_length=DETAIL_MAX_LENGTH, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "-id"], name="import_owner")]
        constraints = [
            # One import at a time per teacher: two overwrites at once would undo each other.
            models.UniqueConstraint(
                fields=["owner"],
                condition=models.Q(state__in=["pending", "running"]),
                name="import_one_unfinished_per_owner",
            )
        ]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.type}, {self.state})"

    @property
    def is_unfinished(self) -> bool:
        return self.state in (ImportState.PENDING, ImportState.RUNNING)


class ImportRow(models.Model):
    """One line of the file: `data` holds its parsed values (`acct`, `show_reblogs`,
    `notify`, `languages`, `hide_notifications`, `list_name`, `uri` or `domain`), `line` its
    line number in the file. `outcome` is empty until the row is applied; `detail` says why
    a row failed or what happened (a follow request sent)."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField()
    data = models.JSONField(default=dict)
    outcome = models.CharField(
        max_length=16, choices=RowOutcome.choices, blank=True, default=RowOutcome.PENDING
    )
    detail = models.CharField(max_length=DETAIL_MAX_LENGTH, blank=True, default="")
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "line"], name="import_row_line_unique")
        ]
        indexes = [models.Index(fields=["job", "outcome", "line"], name="import_row_outcome")]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.line} {self.outcome or 'pending'}"
