"""Conversations in the export archive, and gone with the account: the teacher's own rows
go, and the others' conversations with them fall back to what is left (or go)."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.contrib.auth.models import AbstractBaseUser

from staffroom.conversations.deletions import conversations_of_deleted_account
from staffroom.conversations.models import Conversation
from staffroom.graph.services import block_create
from staffroom.leaving.deletion import account_delete_run, deletion_parts
from staffroom.leaving.export import archive_build, export_parts

pytestmark = pytest.mark.django_db


def _deactivate(user: AbstractBaseUser) -> None:
    user.is_active = False
    user.save(update_fields=["is_active"])


def _export(profile, tmp_path) -> dict[str, Any]:
    parts = [part for part in export_parts() if part.name == "conversations"]
    target = tmp_path / f"{profile.handle}.zip"
    archive_build(profile.user, target, parts=parts)
    archive = zipfile.ZipFile(io.BytesIO(target.read_bytes()))
    assert archive.namelist() == ["conversations.json", "manifest.json"]
    return json.loads(archive.read("conversations.json"))


def test_the_export_holds_the_teachers_conversations(ada, bo, cy, post, tmp_path, settings):
    settings.DATA_DIR = tmp_path
    settings.STAFFROOM_DOMAIN = "staffroom.example"
    first = post(bo, "@ada @cy planning", visibility="direct")
    reply = post(ada, "@bo @cy yes", visibility="direct", in_reply_to=first)
    post(bo, "@cy not for ada", visibility="direct")
    assert ("conversations", 1) in [(part.name, part.version) for part in export_parts()]
    assert _export(ada, tmp_path) == {
        "conversations": [
            {
                "thread_id": str(first.pk),
                "last_status_id": str(reply.pk),
                "unread": False,
                "participants": ["bo@staffroom.example", "cy@staffroom.example"],
            }
        ]
    }


def test_the_export_leaves_out_what_the_teacher_may_no_longer_see(
    ada, bo, post, tmp_path, settings
):
    settings.DATA_DIR = tmp_path
    post(bo, "@ada hello", visibility="direct")
    block_create(actor=ada, target=bo)
    assert _export(ada, tmp_path) == {"conversations": []}


def test_deleting_the_account_removes_its_rows_and_refreshes_the_others(ada, bo, cy, post):
    first = post(cy, "@ada @bo three of us", visibility="direct")
    post(ada, "@bo @cy ada's reply", visibility="direct", in_reply_to=first)
    lonely = post(ada, "@bo only ada and bo", visibility="direct")
    assert "conversations" in [part.name for part in deletion_parts()]
    _deactivate(ada.user)
    assert account_delete_run(user_id=ada.user.pk) is True
    assert not Conversation.objects.filter(owner_id=ada.pk).exists()
    assert Conversation.objects.get(owner=bo, thread_id=first.thread_id).last_status_id == first.pk
    assert not Conversation.objects.filter(owner=bo, thread_id=lonely.thread_id).exists()


def test_the_deletion_part_alone_is_idempotent(ada, bo, post):
    post(ada, "@bo hello", visibility="direct")
    conversations_of_deleted_account(ada.user)
    conversations_of_deleted_account(ada.user)
    assert not Conversation.objects.filter(owner=ada).exists()
    assert Conversation.objects.filter(owner=bo).exists()
