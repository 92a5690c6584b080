"""The moderation export part (moderation.json): the reports a teacher filed with their
state, and the notices about their own account; never who moderated, who reported them,
nor what was done about a report they filed."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest

from staffroom.leaving.export import archive_build, export_parts
from staffroom.moderation import services
from staffroom.moderation.models import ActionKind, ReportCategory

DOMAIN = "staffroom.example"


@pytest.fixture
def moderation_json(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.STAFFROOM_DOMAIN = DOMAIN

    def build(profile) -> dict[str, Any]:
        target = tmp_path / f"{profile.handle}.zip"
        parts = [part for part in export_parts() if part.name == "moderation"]
        archive_build(profile.user, target, parts=parts)
        archive = zipfile.ZipFile(io.BytesIO(target.read_bytes()))
        return json.loads(archive.read("moderation.json"))

    return build


def test_export_parts_register_moderation_at_version_1():
    versions = {part.name: part.version for part in export_parts()}
    assert versions.get("moderation") == 1


def test_moderation_export_lists_the_reports_filed_open_or_handled_never_the_action(
    admin, moderator, ada, bo, cy, post, moderation_json
):
    rule = services.rule_create(actor=admin, text="No advertising or selling")
    shop = post(bo, "Buy my worksheets!")
    handled = services.report_create(
        reporter=ada,
        target_id=bo.pk,
        status_ids=[shop.pk],
        rule_ids=[rule.pk],
        comment="Selling again.",
    )
    services.account_suspend(
        actor=moderator, account_id=bo.pk, note="Spam account.", report_id=handled.pk
    )
    services.report_create(reporter=ada, target_id=cy.pk, category=ReportCategory.OTHER)
    services.report_create(reporter=bo, target_id=cy.pk, comment="Not ada's report")
    document = moderation_json(ada)
    assert document["notices"] == []
    filed = document["reports_filed"]
    assert [(r["target_account"], r["state"]) for r in filed] == [
        (f"bo@{DOMAIN}", "handled"),
        (f"cy@{DOMAIN}", "open"),
    ]
    assert filed[0]["category"] == ReportCategory.VIOLATION
    assert filed[0]["rules"] == ["No advertising or selling"]
    assert filed[0]["comment"] == "Selling again."
    assert filed[0]["created_at"]
    text = json.dumps(document)
    for secret in ("suspend", "Spam account.", "action", "modmo", "resolved"):
        assert secret not in text


def test_moderation_export_holds_notices_with_the_note_and_post_never_who(
    moderator, ada, bo, post, moderation_json
):
    removed = post(bo, "A photo of my class, names and all")
    report = services.report_create(reporter=ada, target_id=bo.pk, status_ids=[removed.pk])
    services.status_remove(
        actor=moderator,
        status_id=removed.pk,
        note="Student names are not shared here.",
        report_id=report.pk,
    )
    services.account_limit(actor=moderator, account_id=bo.pk, note="Limited for a week.")
    document = moderation_json(bo)
    assert document["reports_filed"] == []
    notices = document["notices"]
    assert [notice["kind"] for notice in notices] == [
        ActionKind.STATUS_REMOVE,
        ActionKind.ACCOUNT_LIMIT,
    ]
    first, second = notices
    assert first["note"] == "Student names are not shared here."
    assert first["post"]["id"] == str(removed.pk)
    assert "names and all" in first["post"]["content"]
    assert first["created_at"]
    assert second["post"] is None
    text = json.dumps(document)
    for secret in ("ada", "modmo", str(report.pk), "reporter", "actor"):
        assert secret not in text


def test_moderation_export_notice_on_a_post_still_there_shows_it_as_it_is(
    moderator, bo, post, moderation_json
):
    status = post(bo, "Graphic dissection photos")
    services.status_mark_sensitive(actor=moderator, status_id=status.pk, note="Folded.")
    notice = moderation_json(bo)["notices"][0]
    assert notice["kind"] == ActionKind.STATUS_SENSITIVE
    assert notice["post"]["id"] == str(status.pk)
    assert "dissection" in notice["post"]["content"]


def test_moderation_export_leaves_out_actions_the_teacher_is_not_told_about(
    admin, moderator, ada, moderation_json
):
    services.role_set(actor=admin, account_id=ada.pk, role="moderator")
    services.role_set(actor=admin, account_id=ada.pk, role="member")
    assert moderation_json(ada) == {"reports_filed": [], "notices": []}
