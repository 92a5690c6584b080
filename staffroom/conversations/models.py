"""Conversations: each teacher's view of the threads of direct posts ("Mentioned people
only") they take part in, as Mastodon's conversations.

One row per (teacher, thread): the thread is the posts' `thread_id` (the root's id). The
row names the other people in it (`participants`), the newest direct post of the thread
the teacher may still see (`last_status`) and whether something new came since the
teacher last read it. The rows are derived: `services.py` keeps them in step with the
posts through domain events (`subscribers.py`), and a row whose last post went is
refreshed from the posts, or goes. Deleting a conversation removes that teacher's row
only; a new post in the thread brings it back, as on Mastodon.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from staffroom.core.fields import SnowflakeIdField
from staffroom.posts.models import Status
from staffroom.profiles.models import Profile


class Conversation(models.Model):
    id = SnowflakeIdField()
    owner = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="conversations")
    thread_id = models.BigIntegerField()
    # The other accounts of the thread's direct posts the owner may see (authors and
    # people mentioned); empty for a note to self.
    participants = models.ManyToManyField(Profile, related_name="+", blank=True)
    # Null for a moment only: when the post is deleted the row is refreshed in the same
    # transaction (StatusDeleted), and readers never show a row without one.
    last_status = models.ForeignKey(
        Status, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_unread = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["owner", "thread_id"], name="conversations_one_per_thread"
            )
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["owner", "-last_status"], name="conversations_page"),
        ]

    def __str__(self) -> str:
        return f"thread {self.thread_id} for {self.owner_id}"
