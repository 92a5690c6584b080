"""The graph's export parts: Mastodon's CSV files and graph.json, the teacher's side only."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from staffroom.graph.models import Mute, PurposeList
from staffroom.graph.services import (
    account_note_set,
    block_create,
    connection_accept,
    connection_ask,
    endorsement_create,
    follow_create,
    mute_create,
    purpose_list_add_accounts,
    purpose_list_create,
)
from staffroom.leaving.export import archive_build, export_parts
from staffroom.leaving.services import export_path, export_request
from staffroom.profiles.models import Profile
from tests.factories import make_profile, make_remote_profile

GRAPH_PARTS = {"following", "lists", "blocks", "mutes", "graph"}
DOMAIN = "staffroom.example"


@dataclass
class Scene:
    ada: Profile
    lists: dict[str, PurposeList]


@pytest.fixture
def scene(db, settings, tmp_path) -> Scene:
    """Ada's graph, plus other people's private relationships that must stay out of it."""
    settings.STAFFROOM_DOMAIN = DOMAIN
    settings.DATA_DIR = tmp_path / "data"
    ada = make_profile("ada", locked=True)
    bo, cy, dee = make_profile("bo"), make_profile("cy"), make_profile("dee", locked=True)
    eve, hal, ivy, jo, kim = (make_profile(h) for h in ("eve", "hal", "ivy", "jo", "kim"))
    zed, rem = make_profile("zed"), make_remote_profile("rem", "remote.example")
    follow_create(actor=ada, target=bo, notify=True)
    follow_create(actor=ada, target=cy, reblogs=False, quiet=True)
    follow_create(actor=ada, target=rem)
    math = purpose_list_create(actor=ada, title="Math resources", purpose="resources")
    inspiration = purpose_list_create(
        actor=ada, title="Inspiration", purpose="inspiration", exclusive=True
    )
    mentors = purpose_list_create(actor=ada, title="Mentors", purpose="mentorship")
    purpose_list_add_accounts(actor=ada, list_id=math.pk, profile_ids=[bo.pk, rem.pk])
    purpose_list_add_accounts(actor=ada, list_id=inspiration.pk, profile_ids=[bo.pk, cy.pk])
    follow_create(actor=ada, target=dee, purposes=[mentors.pk])  # a request: dee is locked
    follow_create(actor=eve, target=ada)  # a request to ada, who is locked
    connection_ask(actor=ada, target=bo)
    connection_accept(actor=bo, requester=ada)
    connection_ask(actor=cy, target=ada)
    block_create(actor=ada, target=hal)
    mute_create(actor=ada, target=ivy, notifications=False)
    mute_create(actor=ada, target=jo, duration=3600)
    mute_create(actor=ada, target=kim)
    Mute.objects.filter(muter=ada, muted=kim).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    # Other people's relationships, some of them about Ada: none may leave with her archive.
    block_create(actor=zed, target=ada)
    mute_create(actor=eve, target=ada)
    block_create(actor=bo, target=cy)
    secret = purpose_list_create(actor=bo, title="Bo's private list", purpose="support")
    follow_create(actor=bo, target=dee)
    follow_create(actor=bo, target=eve)
    purpose_list_add_accounts(actor=bo, list_id=secret.pk, profile_ids=[eve.pk])
    follow_create(actor=cy, target=zed)
    return Scene(ada, {"math": math, "inspiration": inspiration, "mentors": mentors})


def _archive(profile: Profile, tmp_path) -> zipfile.ZipFile:
    target = tmp_path / "graph.zip"
    parts = [part for part in export_parts() if part.name in GRAPH_PARTS]
    assert profile.user is not None
    archive_build(profile.user, target, parts=parts)
    return zipfile.ZipFile(io.BytesIO(target.read_bytes()))


def test_export_parts_register_the_graph_parts_at_version_1():
    versions = {part.name: part.version for part in export_parts()}
    assert {name: versions.get(name) for name in GRAPH_PARTS} == dict.fromkeys(GRAPH_PARTS, 1)


def test_following_accounts_csv_is_mastodons_format(scene, tmp_path):
    archive = _archive(scene.ada, tmp_path)
    assert archive.read("following_accounts.csv").decode() == (
        "Account address,Show boosts,Notify on new posts,Languages\n"
        f"bo@{DOMAIN},true,true,\n"
        f"cy@{DOMAIN},false,false,\n"
        "rem@remote.example,true,false,\n"
    )


def test_lists_csv_has_no_header_and_one_row_per_member(scene, tmp_path):
    archive = _archive(scene.ada, tmp_path)
    assert archive.read("lists.csv").decode() == (
        f"Math resources,bo@{DOMAIN}\n"
        "Math resources,rem@remote.example\n"
        f"Inspiration,bo@{DOMAIN}\n"
        f"Inspiration,cy@{DOMAIN}\n"
    )


def test_blocked_and_muted_accounts_csv_hold_only_the_teachers_own(scene, tmp_path):
    """SECURITY-PLAN D-1."""
    archive = _archive(scene.ada, tmp_path)
    assert archive.read("blocked_accounts.csv").decode() == f"hal@{DOMAIN}\n"
    # kim's mute has expired; eve mutes Ada, which is eve's business.
    assert archive.read("muted_accounts.csv").decode() == (
        f"Account address,Hide notifications\nivy@{DOMAIN},false\njo@{DOMAIN},true\n"
    )


def test_graph_json_carries_purposes_lists_connections_and_requests(scene, tmp_path):
    document = json.loads(_archive(scene.ada, tmp_path).read("graph.json"))
    ids = {key: str(found.pk) for key, found in scene.lists.items()}
    follows = {row["account"]: row for row in document["follows"]}
    assert list(follows) == [f"bo@{DOMAIN}", f"cy@{DOMAIN}", "rem@remote.example"]
    assert follows[f"bo@{DOMAIN}"]["purposes"] == [ids["math"], ids["inspiration"]]
    assert follows[f"cy@{DOMAIN}"]["purposes"] == [ids["inspiration"]]
    assert follows[f"cy@{DOMAIN}"]["quiet"] is True
    assert follows[f"cy@{DOMAIN}"]["show_reblogs"] is False
    assert follows["rem@remote.example"]["purposes"] == [ids["math"]]
    lists = [
        (row["id"], row["title"], row["purpose"], row["exclusive"], row["members"])
        for row in document["lists"]
    ]
    assert lists == [
        (ids["math"], "Math resources", "resources", False, [f"bo@{DOMAIN}", "rem@remote.example"]),
        (ids["inspiration"], "Inspiration", "inspiration", True, [f"bo@{DOMAIN}", f"cy@{DOMAIN}"]),
        (ids["mentors"], "Mentors", "mentorship", False, []),
    ]
    connections = [
        (row["account"], row["state"], row["asked_by"], row["accepted_at"] is not None)
        for row in document["connections"]
    ]
    assert connections == [
        (f"bo@{DOMAIN}", "accepted", "me", True),
        (f"cy@{DOMAIN}", "asked", "them", False),
    ]
    requests = document["follow_requests"]
    assert [(r["account"], r["purposes"]) for r in requests["outgoing"]] == [
        (f"dee@{DOMAIN}", [ids["mentors"]])
    ]
    assert [r["account"] for r in requests["incoming"]] == [f"eve@{DOMAIN}"]
    mutes = {row["account"]: row for row in document["mutes"]}
    assert set(mutes) == {f"ivy@{DOMAIN}", f"jo@{DOMAIN}"}
    assert mutes[f"ivy@{DOMAIN}"]["expires_at"] is None
    assert mutes[f"jo@{DOMAIN}"]["expires_at"] is not None


def test_graph_export_never_reveals_other_peoples_relationships(scene, tmp_path):
    archive = _archive(scene.ada, tmp_path)
    everything = "\n".join(archive.read(name).decode() for name in archive.namelist())
    assert "zed@" not in everything  # zed blocks Ada; Ada has no tie to zed of her own
    assert "Bo's private list" not in everything
    blocked = archive.read("blocked_accounts.csv").decode()
    assert f"cy@{DOMAIN}" not in blocked  # bo blocks cy
    muted = archive.read("muted_accounts.csv").decode()
    assert f"eve@{DOMAIN}" not in muted  # eve mutes Ada, Ada does not mute eve


def test_graph_export_of_a_teacher_without_relationships_writes_empty_files(db, tmp_path):
    loner = make_profile("loner")
    archive = _archive(loner, tmp_path)
    assert archive.read("following_accounts.csv") == (
        b"Account address,Show boosts,Notify on new posts,Languages\n"
    )
    assert archive.read("lists.csv") == b""
    assert archive.read("blocked_accounts.csv") == b""
    assert archive.read("muted_accounts.csv") == b"Account address,Hide notifications\n"
    document = json.loads(archive.read("graph.json"))
    assert document == {
        "follows": [],
        "lists": [],
        "connections": [],
        "follow_requests": {"outgoing": [], "incoming": []},
        "mutes": [],
        "notes": [],
    }


def test_export_job_puts_the_graph_files_in_the_manifest(scene, run_jobs):
    export = export_request(user=scene.ada.user)
    run_jobs()
    export.refresh_from_db()
    path = export_path(export)
    assert path is not None
    archive = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    manifest = json.loads(archive.read("manifest.json"))
    files = {
        part["name"]: (part["version"], [entry["path"] for entry in part["files"]])
        for part in manifest["parts"]
        if part["name"] in GRAPH_PARTS
    }
    assert files == {
        "following": (1, ["following_accounts.csv"]),
        "lists": (1, ["lists.csv"]),
        "blocks": (1, ["blocked_accounts.csv"]),
        "mutes": (1, ["muted_accounts.csv"]),
        "graph": (1, ["graph.json"]),
    }


def test_graph_json_has_own_endorsements_and_notes_only(scene, tmp_path):
    ada = scene.ada
    bo, cy = Profile.objects.get(handle="bo"), Profile.objects.get(handle="cy")
    endorsement_create(actor=ada, target=bo)
    account_note_set(actor=ada, target=cy, comment="Ada's own note")
    account_note_set(actor=bo, target=ada, comment="Bo's note about Ada")
    document = json.loads(_archive(ada, tmp_path).read("graph.json"))
    endorsed = {row["account"]: row["endorsed_at"] is not None for row in document["follows"]}
    assert endorsed[f"bo@{DOMAIN}"] is True
    assert endorsed[f"cy@{DOMAIN}"] is False
    assert [(n["account"], n["comment"]) for n in document["notes"]] == [
        (f"cy@{DOMAIN}", "Ada's own note")
    ]
    assert "Bo's note about Ada" not in json.dumps(document)
