"""Followed and featured hashtags in the export archive, and gone with the account."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.contrib.auth.models import AbstractBaseUser

from staffroom.hashtags.deletions import hashtags_of_deleted_account
from staffroom.hashtags.models import FeaturedTag, TagFollow
from staffroom.hashtags.services import featured_tag_add, tag_follow
from staffroom.leaving.deletion import account_delete_run, deletion_parts
from staffroom.leaving.export import archive_build, export_parts
from staffroom.posts.models import Tag
from staffroom.timelines.models import FeedEntry

pytestmark = pytest.mark.django_db


def _deactivate(user: AbstractBaseUser) -> None:
    user.is_active = False
    user.save(update_fields=["is_active"])


def test_the_export_holds_followed_and_featured_hashtags(ada, bo, tmp_path, settings):
    settings.DATA_DIR = tmp_path
    tag_follow(actor=ada, name="EdChat")
    tag_follow(actor=ada, name="mathchat")
    tag_follow(actor=bo, name="notadas")
    featured_tag_add(actor=ada, name="MathChat")
    assert ("hashtags", 1) in [(part.name, part.version) for part in export_parts()]
    target = tmp_path / "out.zip"
    archive_build(ada.user, target)
    archive = zipfile.ZipFile(io.BytesIO(target.read_bytes()))
    data = json.loads(archive.read("hashtags.json"))
    assert [row["name"] for row in data["followed"]] == ["EdChat", "mathchat"]
    assert [row["name"] for row in data["featured"]] == ["mathchat"]
    assert data["followed"][0]["url"].endswith("/tags/EdChat")
    manifest = json.loads(archive.read("manifest.json"))
    assert any(part["name"] == "hashtags" for part in manifest["parts"])


def test_deleting_the_account_removes_its_hashtags_and_their_feed_rows(ada, bo, publish, run_jobs):
    tag_follow(actor=ada, name="edchat")
    featured_tag_add(actor=ada, name="edchat")
    tag_follow(actor=bo, name="edchat")
    run_jobs()
    status = publish(bo, "Still here #edchat")
    assert FeedEntry.objects.filter(owner=ada, status=status).exists()
    assert "hashtags" in [part.name for part in deletion_parts()]
    _deactivate(ada.user)
    assert account_delete_run(user_id=ada.user.pk) is True
    assert not TagFollow.objects.filter(profile_id=ada.pk).exists()
    assert not FeaturedTag.objects.filter(profile_id=ada.pk).exists()
    assert not FeedEntry.objects.filter(owner_id=ada.pk).exists()
    assert TagFollow.objects.filter(profile=bo).count() == 1
    assert Tag.objects.filter(normalized="edchat").exists()


def test_the_deletion_part_alone_ends_follows_with_their_events(ada, bo, publish, run_jobs):
    tag_follow(actor=ada, name="edchat")
    run_jobs()
    publish(bo, "Came through the tag #edchat")
    own = publish(ada, "Mine #edchat")
    hashtags_of_deleted_account(ada.user)
    hashtags_of_deleted_account(ada.user)  # idempotent
    assert not TagFollow.objects.filter(profile=ada).exists()
    assert list(FeedEntry.objects.filter(owner=ada).values_list("status_id", flat=True)) == [own.pk]
