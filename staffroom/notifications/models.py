"""Notifications: something happened that a teacher should notice (a reply, a follow, a
connection request), and how each teacher wants to hear about it.

A notification is written by a background job (`tasks.py`) after the row it is about has
committed, and only when `rules.py` allows it: never to the actor themselves, never across
a block, never from an account the teacher mutes with notifications hidden, never for a
quiet follow, never of a kind the teacher turned off. Dismissing deletes it, as Mastodon
does; deleting the post or account it is about deletes it too.

While the teacher is away (`Profile.is_away`), notifications are still written but marked
`while_away`: they count toward no unread badge and no e-mail, and on return the teacher
sees a summary of them first (`selectors.away_summary`).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from staffroom.core.fields import SnowflakeIdField
from staffroom.posts.models import Status
from staffroom.profiles.models import Profile


class NotificationKind(models.TextChoices):
    """Mastodon's type names where Mastodon has the notification (a reply is a `mention`
    of the person replied to, as on Mastodon); `pln.` names otherwise."""

    MENTION = "mention", _("Mentions and replies")
    STATUS = "status", _("New posts from people you asked to hear from")
    REBLOG = "reblog", _("Reshares of your posts")
    FAVOURITE = "favourite", _("Favourites of your posts")
    FOLLOW = "follow", _("New followers")
    FOLLOW_REQUEST = "follow_request", _("Follow requests")
    POLL = "poll", _("Polls you voted in or asked have ended")
    CONNECTION_REQUEST = "pln.connection_request", _("Connection requests")
    CONNECTION_ACCEPTED = "pln.connection_accepted", _("Accepted connections")
    REPORT_RESOLVED = "pln.report_resolved", _("Your reports handled")


# Grouped by Mastodon's /api/v2/notifications: many favourites or reshares of one post, or
# the day's new followers, read as one entry.
GROUPED_KINDS = frozenset(
    {NotificationKind.FAVOURITE, NotificationKind.REBLOG, NotificationKind.FOLLOW}
)


class Notification(models.Model):
    id = SnowflakeIdField()
    recipient = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    # Who did it (the follower, the person who replied, favourited, ...).
    account = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    status = models.ForeignKey(
        Status, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The id of the row that caused it (the follow, the post, the favourite, the connection,
    # the report): a job that runs twice writes one notification.
    source_id = models.BigIntegerField()
    group_key = models.CharField(max_length=64)
    # Held back by the recipient's NotificationPolicy: kept out of every list, count, stream,
    # push and e-mail, and shown only under its NotificationRequest until accepted.
    filtered = models.BooleanField(default=False)
    while_away = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "source_id"], name="notifications_once"
            )
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["recipient", "-id"], name="notifications_page"),
            models.Index(fields=["recipient", "group_key", "-id"], name="notifications_group"),
            models.Index(fields=["recipient", "account", "filtered"], name="notifications_sender"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id} from {self.account_id}"


def default_email_kinds() -> list[str]:
    return []


class NotificationPreferences(models.Model):
    """What a teacher wants to hear about: `muted_kinds` are not written at all; e-mail is
    opt-in per kind (`email_kinds`), sent in batches."""

    owner = models.OneToOneField(
        Profile, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    muted_kinds = models.JSONField(default=list, blank=True)
    email_kinds = models.JSONField(default=default_email_kinds, blank=True)
    # When the teacher last read the summary of what came while they were away.
    away_summary_seen_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Notification preferences of {self.owner_id}"


class PolicyChoice(models.TextChoices):
    """What happens to a notification from a sender a policy category covers (Mastodon
    4.3's NotificationPolicy values)."""

    ACCEPT = "accept", _("Show them")
    FILTER = "filter", _("Put them aside under filtered notifications")
    DROP = "drop", _("Ignore them completely")


POLICY_CATEGORIES = (
    "for_not_following",
    "for_not_followers",
    "for_new_accounts",
    "for_private_mentions",
    "for_limited_accounts",
)


class NotificationPolicy(models.Model):
    """Whose notifications a teacher sees at once, puts aside, or never gets (Mastodon
    4.3's notification filtering). Defaults are Mastodon's: only private mentions from
    people the teacher does not follow and notifications from accounts a moderator
    limited are put aside."""

    owner = models.OneToOneField(
        Profile, on_delete=models.CASCADE, related_name="notification_policy"
    )
    # From people the teacher does not follow.
    for_not_following = models.CharField(
        max_length=8, choices=PolicyChoice.choices, default=PolicyChoice.ACCEPT
    )
    # From people who do not follow the teacher (or began less than 3 days ago).
    for_not_followers = models.CharField(
        max_length=8, choices=PolicyChoice.choices, default=PolicyChoice.ACCEPT
    )
    # From accounts younger than 30 days.
    for_new_accounts = models.CharField(
        max_length=8, choices=PolicyChoice.choices, default=PolicyChoice.ACCEPT
    )
    # Private mentions from people the teacher does not follow, unless a reply to them.
    for_private_mentions = models.CharField(
        max_length=8, choices=PolicyChoice.choices, default=PolicyChoice.FILTER
    )
    # From accounts a moderator limited.
    for_limited_accounts = models.CharField(
        max_length=8, choices=PolicyChoice.choices, default=PolicyChoice.FILTER
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Notification policy of {self.owner_id}"


class NotificationRequest(models.Model):
    """The notifications from one sender that the recipient's policy put aside, waiting
    to be accepted (they join the list, and later ones are no longer put aside) or
    dismissed (they are deleted). One per recipient and sender."""

    id = SnowflakeIdField()
    recipient = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="notification_requests"
    )
    account = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    # The post of the latest notification put aside (re-checked when read).
    last_status = models.ForeignKey(
        Status, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["recipient", "account"], name="notifications_request_once"
            )
        ]

    def __str__(self) -> str:
        return f"Notification request for {self.recipient_id} from {self.account_id}"


class NotificationPermission(models.Model):
    """A sender whose request the recipient accepted: their notifications are never put
    aside again (Mastodon's NotificationPermission)."""

    recipient = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["recipient", "account"], name="notifications_permission_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} accepts notifications from {self.account_id}"
