"""The suggestions export part (suggestions.json): the teacher's "not for me" choices and
the starter packs they curate; never another teacher's."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest

from staffroom.leaving.export import archive_build, export_parts
from staffroom.recommendations.services import (
    PackFields,
    starter_pack_create,
    suggestion_dismiss,
)
from tests.factories import make_profile

DOMAIN = "staffroom.example"

pytestmark = pytest.mark.django_db


@pytest.fixture
def suggestions_json(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.STAFFROOM_DOMAIN = DOMAIN

    def build(profile) -> dict[str, Any]:
        target = tmp_path / f"{profile.handle}.zip"
        parts = [part for part in export_parts() if part.name == "suggestions"]
        archive_build(profile.user, target, parts=parts)
        archive = zipfile.ZipFile(io.BytesIO(target.read_bytes()))
        assert archive.namelist() == ["suggestions.json", "manifest.json"]
        return json.loads(archive.read("suggestions.json"))

    return build


def test_the_export_holds_my_dismissals_and_my_packs_in_order(suggestions_json):
    ada, bo, cy, dee = (make_profile(h) for h in ("ada", "bo", "cy", "dee"))
    suggestion_dismiss(actor=ada, target_id=bo.pk)
    suggestion_dismiss(actor=cy, target_id=dee.pk)  # someone else's choice
    starter_pack_create(
        actor=ada,
        fields=PackFields(
            title="Grade 7 math",
            description="Ratio and proportion people",
            subjects=["math"],
            grade_bands=["6-8"],
            account_ids=[dee.pk, cy.pk],
        ),
    )
    starter_pack_create(actor=cy, fields=PackFields(title="Not Ada's", account_ids=[ada.pk]))
    found = suggestions_json(ada)
    assert [row["account"] for row in found["dismissed"]] == [f"bo@{DOMAIN}"]
    assert found["dismissed"][0]["created_at"]
    assert len(found["starter_packs"]) == 1
    pack = found["starter_packs"][0]
    assert pack["title"] == "Grade 7 math"
    assert pack["description"] == "Ratio and proportion people"
    assert pack["subjects"] == ["math"]
    assert pack["grade_bands"] == ["6-8"]
    assert pack["accounts"] == [f"dee@{DOMAIN}", f"cy@{DOMAIN}"]


def test_an_empty_export_has_empty_lists(suggestions_json):
    assert suggestions_json(make_profile("ada")) == {"dismissed": [], "starter_packs": []}
