"""The server's rules, teachers' reports, and the record of every moderation action.

- `Rule`: what an administrator asks of everyone; shown at sign-up and on /about. A rule
  taken down keeps its row (`deleted_at`) so reports that cite it still read right.
- `Report`: a teacher tells the moderators about an account and, optionally, some of its
  posts. `ReportedPost` keeps each post as it was when reported (HTML, content warning,
  audience), so an edit or a deletion afterwards cannot hide what was reported.
- `ModerationAction`: the audit log. One row per action, written in the same transaction
  as the action; rows are never changed or deleted (`save` of an existing row, `delete`,
  and the queryset's `update` / `delete` all refuse). What the person acted on is told
  comes from these rows too; the reporter is never part of it.

Roles (who may moderate) live on the user (`accounts.User.role`); the moderation state of
an account is `Profile.limited_at` / `Profile.suspended_at`, of a post `Status.removed_at`,
so the visibility rules read them in the same joined rows as everything else.
"""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from staffroom.core.fields import SnowflakeIdField
from staffroom.posts.models import Status
from staffroom.profiles.models import Profile

RULE_TEXT_MAX_LENGTH = 300
RULE_HINT_MAX_LENGTH = 1000
RULES_MAX = 50
REPORT_COMMENT_MAX_LENGTH = 1000
REPORT_POSTS_MAX = 20
NOTE_MAX_LENGTH = 2000


class Rule(models.Model):
    text = models.CharField(_("rule"), max_length=RULE_TEXT_MAX_LENGTH)
    hint = models.TextField(_("explanation"), blank=True, max_length=RULE_HINT_MAX_LENGTH)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class ReportCategory(models.TextChoices):
    """Mastodon's report categories."""

    SPAM = "spam", _("Spam")
    LEGAL = "legal", _("Against the law")
    VIOLATION = "violation", _("Breaks the server's rules")
    OTHER = "other", _("Something else")


class Report(models.Model):
    id = SnowflakeIdField()
    # The reporter may leave; the report stays (SECURITY-PLAN D-4).
    reporter = models.ForeignKey(
        Profile, on_delete=models.SET_NULL, null=True, related_name="reports_filed"
    )
    # The reported account; null once it is deleted (the report stays, SECURITY-PLAN D-4),
    # when `target_handle` still says who it was.
    target = models.ForeignKey(
        Profile, on_delete=models.SET_NULL, null=True, related_name="reports_received"
    )
    target_handle = models.CharField(max_length=320, blank=True)
    category = models.CharField(
        max_length=16, choices=ReportCategory.choices, default=ReportCategory.OTHER
    )
    comment = models.TextField(blank=True, max_length=REPORT_COMMENT_MAX_LENGTH)
    forwarded = models.BooleanField(default=False)
    rules = models.ManyToManyField(Rule, blank=True, related_name="reports")
    created_at = models.DateTimeField(auto_now_add=True)
    # Resolved: dismissed (`action_taken` false) or handled with an action (true).
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        Profile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action_taken = models.BooleanField(default=False)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["resolved_at", "id"], name="moderation_report_queue"),
            models.Index(fields=["target", "id"], name="moderation_report_target"),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk} on {self.target_id}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def target_acct(self) -> str:
        """Who was reported, even after their account was deleted."""
        return self.target.acct if self.target is not None else self.target_handle


class ReportedPost(models.Model):
    """A reported post as it was when reported."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="posts")
    status = models.ForeignKey(
        Status, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    original_id = models.BigIntegerField()
    content = models.TextField()
    spoiler_text = models.TextField(blank=True)
    sensitive = models.BooleanField(default=False)
    visibility = models.CharField(max_length=16)
    posted_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["original_id"]

    def __str__(self) -> str:
        return f"Post {self.original_id} in report {self.report_id}"


class ActionKind(models.TextChoices):
    REPORT_DISMISS = "report_dismiss", _("Dismissed a report")
    REPORT_REOPEN = "report_reopen", _("Reopened a report")
    STATUS_REMOVE = "status_remove", _("Removed a post")
    STATUS_RESTORE = "status_restore", _("Restored a post")
    STATUS_SENSITIVE = "status_sensitive", _("Marked a post sensitive")
    ACCOUNT_LIMIT = "account_limit", _("Limited an account")
    ACCOUNT_UNLIMIT = "account_unlimit", _("Lifted an account's limit")
    ACCOUNT_SUSPEND = "account_suspend", _("Suspended an account")
    ACCOUNT_UNSUSPEND = "account_unsuspend", _("Lifted a suspension")
    ROLE_CHANGE = "role_change", _("Changed a role")
    RULE_CREATE = "rule_create", _("Added a rule")
    RULE_UPDATE = "rule_update", _("Changed a rule")
    RULE_DELETE = "rule_delete", _("Took down a rule")
    TERMS_UPDATE = "terms_update", _("Changed the terms")
    TREND_APPROVE = "trend_approve", _("Let a trend show")
    TREND_REJECT = "trend_reject", _("Kept a trend from showing")
    TREND_AUTHOR_APPROVE = "trend_author_approve", _("Let an author's posts trend")


# The actions the person acted on is told about (with the moderator's note).
NOTICE_KINDS = frozenset(
    {
        ActionKind.STATUS_REMOVE,
        ActionKind.STATUS_RESTORE,
        ActionKind.STATUS_SENSITIVE,
        ActionKind.ACCOUNT_LIMIT,
        ActionKind.ACCOUNT_UNLIMIT,
        ActionKind.ACCOUNT_SUSPEND,
        ActionKind.ACCOUNT_UNSUSPEND,
    }
)


class AuditLogImmutable(Exception):
    """The audit log is append-only."""


class ModerationActionQuerySet(models.QuerySet["ModerationAction"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditLogImmutable("The moderation log is never changed.")

    def delete(self) -> NoReturn:
        raise AuditLogImmutable("The moderation log is never deleted.")


class ModerationAction(models.Model):
    """One entry of the audit log: who did what to whom, when, and why (`note`, which is
    also what the person acted on is told). `detail` holds what the action changed (a
    role's before and after, a rule's text, the removed post as it was)."""

    id = SnowflakeIdField()
    actor = models.ForeignKey(Profile, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_handle = models.CharField(max_length=64)
    kind = models.CharField(max_length=32, choices=ActionKind.choices)
    target_account = models.ForeignKey(
        Profile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_actions",
    )
    target_handle = models.CharField(max_length=64, blank=True)
    target_status_id = models.BigIntegerField(null=True, blank=True)
    report = models.ForeignKey(
        Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    note = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ModerationActionQuerySet.as_manager()

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["target_account", "id"], name="moderation_action_target"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_handle} {self.kind} {self.target_handle}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogImmutable("The moderation log is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditLogImmutable("The moderation log is never deleted.")
