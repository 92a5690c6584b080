"""Announcements: what the administrators tell everyone on the server (a maintenance
window, an event), shown as a banner on the home page and through Mastodon's
`/api/v1/announcements`. Each teacher may dismiss one (`AnnouncementRead`) and react to it
with an emoji (`AnnouncementReaction`)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from staffroom.profiles.models import Profile

TEXT_MAX_LENGTH = 5000
REACTION_NAME_MAX_LENGTH = 64
# Mastodon's cap on one account's reactions to one announcement.
REACTIONS_PER_ACCOUNT_MAX = 8


class Announcement(models.Model):
    """`text` is the Markdown the administrator wrote, `content` its sanitized HTML.
    A draft has no `published_at`; `starts_at`/`ends_at` are the event's times (both or
    neither), and an announcement is no longer shown once `ends_at` has passed."""

    text = models.TextField(max_length=TEXT_MAX_LENGTH)
    content = models.TextField(blank=True)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    all_day = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True, ends_at__isnull=True)
                | Q(
                    starts_at__isnull=False,
                    ends_at__isnull=False,
                    ends_at__gte=models.F("starts_at"),
                ),
                name="announcements_times_both_and_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.text[:40]


class AnnouncementRead(models.Model):
    """`account` dismissed `announcement` (it stays listed through the API, `read: true`)."""

    account = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="reads")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "announcement"], name="announcements_read_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id} read {self.announcement_id}"


class AnnouncementReaction(models.Model):
    """`account` reacted to `announcement` with `name`: a Unicode emoji or the shortcode of
    one of the server's custom emojis (without colons)."""

    account = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="reactions"
    )
    name = models.CharField(max_length=REACTION_NAME_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "announcement", "name"], name="announcements_reaction_unique"
            )
        ]
        indexes = [
            models.Index(fields=["announcement", "name"], name="announcements_reaction_name")
        ]

    def __str__(self) -> str:
        return f"{self.account_id} reacted {self.name} to {self.announcement_id}"
