"""Filters in the export archive, and gone with the account."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from staffroom.filters.models import Filter, FilterKeyword, FilterStatus
from staffroom.filters.services import KeywordChange, filter_create, filter_status_add
from staffroom.leaving.deletion import account_delete_run, deletion_parts
from staffroom.leaving.export import archive_build, export_parts
from tests.factories import make_post

pytestmark = pytest.mark.django_db


def _made(owner, title, *words):
    return filter_create(
        actor=owner,
        title=title,
        context=["home"],
        action="hide",
        keywords=[KeywordChange(keyword=word, whole_word=False) for word in words],
    )


def test_the_export_holds_the_filters(ada, bo, tmp_path, settings):
    settings.DATA_DIR = tmp_path
    made = _made(ada, "Exams", "exam", "test")
    status = make_post(bo, "x")
    filter_status_add(actor=ada, filter_id=made.pk, status_id=status.pk)
    _made(bo, "Not ada's", "secret")
    assert ("filters", 1) in [(part.name, part.version) for part in export_parts()]
    target = tmp_path / "out.zip"
    archive_build(ada.user, target)
    data = json.loads(zipfile.ZipFile(io.BytesIO(target.read_bytes())).read("filters.json"))
    assert len(data) == 1
    assert data[0]["title"] == "Exams"
    assert data[0]["filter_action"] == "hide"
    assert data[0]["context"] == ["home"]
    assert data[0]["keywords"] == [
        {"keyword": "exam", "whole_word": False},
        {"keyword": "test", "whole_word": False},
    ]
    assert data[0]["status_ids"] == [str(status.pk)]


def test_deleting_the_account_removes_its_filters(ada, bo):
    made = _made(ada, "Exams", "exam")
    filter_status_add(actor=ada, filter_id=made.pk, status_id=make_post(bo, "x").pk)
    _made(bo, "Kept", "secret")
    assert "filters" in [part.name for part in deletion_parts()]
    ada.user.is_active = False
    ada.user.save(update_fields=["is_active"])
    assert account_delete_run(user_id=ada.user.pk) is True
    assert list(Filter.objects.values_list("title", flat=True)) == ["Kept"]
    assert list(FilterKeyword.objects.values_list("keyword", flat=True)) == ["secret"]
    assert not FilterStatus.objects.exists()
