"""A teacher's dismissals and reactions in the export archive, and gone with the account;
the demo's announcement."""

from __future__ import annotations

import io
import json
import random
import zipfile

import pytest

from staffroom.announcements.demo import demo_announcements
from staffroom.announcements.models import Announcement, AnnouncementReaction, AnnouncementRead
from staffroom.announcements.services import (
    announcement_create,
    announcement_dismiss,
    announcement_reaction_add,
)
from staffroom.core.demo import DemoContext
from staffroom.leaving.deletion import account_delete_run, deletion_parts
from staffroom.leaving.export import archive_build, export_parts

pytestmark = pytest.mark.django_db


def test_the_export_holds_dismissals_and_reactions(admin, ada, bo, tmp_path, settings):
    settings.DATA_DIR = tmp_path
    item = announcement_create(actor=admin, text="Snow day tomorrow")
    announcement_dismiss(account=ada, announcement_id=item.pk)
    announcement_reaction_add(account=ada, announcement_id=item.pk, name="❄️")
    announcement_reaction_add(account=bo, announcement_id=item.pk, name="👍")
    assert ("announcements", 1) in [(part.name, part.version) for part in export_parts()]
    target = tmp_path / "out.zip"
    archive_build(ada.user, target)
    data = json.loads(zipfile.ZipFile(io.BytesIO(target.read_bytes())).read("announcements.json"))
    assert [row["text"] for row in data["dismissed"]] == ["Snow day tomorrow"]
    assert [row["name"] for row in data["reactions"]] == ["❄️"]


def test_deleting_the_account_removes_its_reads_and_reactions(admin, ada, bo):
    item = announcement_create(actor=admin, text="Snow day tomorrow")
    for who in (ada, bo):
        announcement_dismiss(account=who, announcement_id=item.pk)
        announcement_reaction_add(account=who, announcement_id=item.pk, name="👍")
    assert "announcements" in [part.name for part in deletion_parts()]
    ada.user.is_active = False
    ada.user.save(update_fields=["is_active"])
    assert account_delete_run(user_id=ada.user.pk) is True
    assert not AnnouncementRead.objects.filter(account_id=ada.pk).exists()
    assert not AnnouncementReaction.objects.filter(account_id=ada.pk).exists()
    assert AnnouncementReaction.objects.filter(account=bo).count() == 1
    assert Announcement.objects.filter(pk=item.pk).exists()


def test_the_demo_has_a_welcome_announcement_once(admin):
    rng = random.Random(1)  # noqa: S311 - demo data, not secrets
    context = DemoContext(rng=rng, users=5, seed=1, log=lambda _line: None)
    context.add("admin", [admin])
    demo_announcements(context)
    demo_announcements(context)
    item = Announcement.objects.get()
    assert item.published_at is not None
    assert "Staffroom demo" in item.content
