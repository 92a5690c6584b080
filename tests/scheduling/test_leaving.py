"""Scheduled posts in the export archive, and gone (never published) with the account."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from staffroom.leaving.deletion import account_delete_run, deletion_parts
from staffroom.leaving.export import archive_build, export_parts
from staffroom.posts.models import Status
from staffroom.posts.services import PostText
from staffroom.scheduling.models import ScheduledStatus, ScheduledStatusMedia
from staffroom.scheduling.services import scheduled_status_create, scheduled_statuses_publish_due
from tests.media.test_views import ready_media

pytestmark = pytest.mark.django_db


def _schedule(author, text, **options):
    return scheduled_status_create(
        author=author,
        scheduled_at=timezone.now() + timedelta(hours=1),
        draft=PostText(text=text),
        visibility="followers",
        **options,
    )


def test_the_export_holds_the_teachers_scheduled_posts_only(ada, bo, tmp_path, settings):
    settings.DATA_DIR = tmp_path
    _schedule(ada, "Ada's plan")
    _schedule(bo, "Bo's plan")
    assert ("scheduled_posts", 1) in [(part.name, part.version) for part in export_parts()]
    target = tmp_path / "out.zip"
    archive_build(ada.user, target)
    archive = zipfile.ZipFile(io.BytesIO(target.read_bytes()))
    data = json.loads(archive.read("scheduled_posts.json"))
    assert [row["params"]["text"] for row in data] == ["Ada's plan"]
    assert data[0]["params"]["visibility"] == "followers"
    assert "Bo's plan" not in archive.read("scheduled_posts.json").decode()


def _deactivate(user: AbstractBaseUser) -> None:
    user.is_active = False
    user.save(update_fields=["is_active"])


def test_deleting_the_account_removes_its_scheduled_posts_unpublished(ada, bo):
    image = ready_media(ada, description="A fraction wall")
    _schedule(ada, "Never to be posted", media_ids=[image.pk])
    _schedule(bo, "Bo's stays")
    assert "scheduled_posts" in [part.name for part in deletion_parts()]
    _deactivate(ada.user)
    assert account_delete_run(user_id=ada.user.pk) is True
    assert not ScheduledStatus.objects.filter(account_id=ada.pk).exists()
    assert not ScheduledStatusMedia.objects.exists()
    assert ScheduledStatus.objects.filter(account=bo).count() == 1


def test_a_deactivated_authors_due_post_is_dropped(ada, time_machine):
    _schedule(ada, "Written before leaving")
    _deactivate(ada.user)
    time_machine.move_to(timezone.now() + timedelta(hours=2))
    assert scheduled_statuses_publish_due() == 0
    assert not Status.objects.exists()
    assert not ScheduledStatus.objects.exists()
