"""The data migration that makes conversations for direct posts written before them."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps

from staffroom.conversations.models import Conversation
from staffroom.posts.removal import status_remove

pytestmark = pytest.mark.django_db

backfill = import_module("staffroom.conversations.migrations.0002_backfill").backfill


def test_the_backfill_makes_rows_from_the_direct_posts(ada, bo, cy, post):
    first = post(ada, "@bo one", visibility="direct")
    reply = post(bo, "@ada @cy two", visibility="direct", in_reply_to=first)
    removed = post(ada, "@bo @cy three", visibility="direct", in_reply_to=reply)
    post(cy, "@ada public")
    status_remove(status=removed)
    Conversation.objects.all().delete()
    backfill(apps, None)
    rows = {row.owner.handle: row for row in Conversation.objects.select_related("owner")}
    assert set(rows) == {"ada", "bo", "cy"}
    assert {row.last_status_id for row in rows.values()} == {reply.pk}
    assert {p.handle for p in rows["ada"].participants.all()} == {"bo", "cy"}
    assert {p.handle for p in rows["cy"].participants.all()} == {"ada", "bo"}
    assert not any(row.is_unread for row in rows.values())


def test_the_backfill_keeps_rows_already_there(ada, bo, post):
    status = post(ada, "@bo one", visibility="direct")
    before = set(Conversation.objects.values_list("pk", "is_unread"))
    backfill(apps, None)
    assert set(Conversation.objects.values_list("pk", "is_unread")) == before
    assert Conversation.objects.filter(thread_id=status.thread_id).count() == 2
