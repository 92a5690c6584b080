"""Polls: a post may ask a question with two or more answers (Mastodon's Poll).

A poll belongs to one post and goes with it. Each answer is a `PollOption` row that counts
its own votes; the poll counts every vote (`votes_count`) and every person who voted
(`voters_count`). The counters move with `F()` in the transaction that writes the vote,
and the unique constraint on (poll, account, choice) keeps a double click or two
concurrent requests from voting twice for one answer. `ended_notified_at` is set once the
periodic job has told the voters and the author that the poll ended, so it tells them once.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone

from staffroom.core.fields import SnowflakeIdField
from staffroom.posts.models import Status
from staffroom.profiles.models import Profile


class Poll(models.Model):
    id = SnowflakeIdField()
    status = models.OneToOneField(Status, on_delete=models.CASCADE, related_name="poll")
    account = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    multiple = models.BooleanField(default=False)
    hide_totals = models.BooleanField(default=False)
    expires_at = models.DateTimeField(db_index=True)
    votes_count = models.PositiveIntegerField(default=0)
    voters_count = models.PositiveIntegerField(default=0)
    ended_notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Poll {self.pk} of status {self.status_id}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class PollOption(models.Model):
    """One answer of a poll, in `position` order (the `choices[]` index of a vote)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    votes_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering: ClassVar[list[str]] = ["poll_id", "position"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["poll", "position"], name="polls_option_position")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.votes_count})"


class PollVote(models.Model):
    """One person's vote for one answer (a multiple-choice vote is one row per answer)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    account = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    choice = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["poll", "account", "choice"], name="polls_vote_once_per_choice"
            )
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["account", "poll"], name="polls_vote_by_account")
        ]

    def __str__(self) -> str:
        return f"{self.account_id} voted {self.choice} on {self.poll_id}"
