"""The export registry and the archive it builds."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest

from staffroom.leaving.export import (
    MANIFEST_FORMAT,
    ExportPart,
    archive_build,
    export_part,
    export_parts,
)


def _build(user, tmp_path, parts=None) -> zipfile.ZipFile:
    target = tmp_path / "out.zip"
    archive_build(user, target, parts=parts)
    return zipfile.ZipFile(io.BytesIO(target.read_bytes()))


def test_export_parts_registers_the_foundation_parts_in_order():
    parts = [(part.name, part.version) for part in export_parts()]
    assert parts[:4] == [("account", 1), ("profile", 1), ("media", 1), ("applications", 1)]


def test_export_part_refuses_a_second_function_under_a_taken_name():
    export_parts()  # discovery registers "account"
    with pytest.raises(ValueError, match="already registered"):

        @export_part(name="account", version=1)
        def other(user, writer):
            pass


def test_archive_manifest_lists_every_file_with_its_hash_and_size(teacher, tmp_path):
    archive = _build(teacher.user, tmp_path)
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["format"] == MANIFEST_FORMAT
    assert manifest["version"] == 1
    assert manifest["created_at"]
    assert manifest["account"]["handle"] == "ada"
    listed = {}
    for part in manifest["parts"]:
        assert isinstance(part["version"], int)
        for entry in part["files"]:
            listed[entry["path"]] = entry
    assert set(listed) == set(archive.namelist()) - {"manifest.json"}
    for path, entry in listed.items():
        content = archive.read(path)
        assert entry["size"] == len(content)
        assert entry["sha256"] == hashlib.sha256(content).hexdigest()


def test_archive_holds_account_profile_media_and_applications(teacher, tmp_path):
    """SECURITY-PLAN D-1."""
    archive = _build(teacher.user, tmp_path)
    account = json.loads(archive.read("account.json"))
    assert account["email"] == "ada@school.example"
    assert account["handle"] == "ada"
    assert account["approval"] == "approved"
    profile = json.loads(archive.read("profile.json"))
    assert profile["bio"] == {
        "source": "I teach *grade 7* maths.",
        "html": "<p>I teach <em>grade 7</em> maths.</p>",
    }
    assert profile["terms"]["subject"] == ["mathematics"]
    assert profile["terms"]["tag"] == ["fractions"]
    assert profile["goals"] == {
        "purposes": ["resources"],
        "interaction": "quiet",
        "learning": ["visual"],
    }
    assert profile["privacy"]["locked"] is True
    assert profile["experience_years"] == 12
    avatar = next(name for name in archive.namelist() if name.startswith("media/avatar."))
    assert archive.read(avatar) == teacher.avatar_bytes
    assert any(name.startswith("media/header.") for name in archive.namelist())
    applications = json.loads(archive.read("applications.json"))
    assert [app["name"] for app in applications["owned"]] == ["ada's script"]
    assert {app["name"] for app in applications["authorized"]} >= {"ada's script"}


def test_archive_contains_no_password_hash_token_or_client_secret(teacher, tmp_path):
    """SECURITY-PLAN D-1."""
    target = tmp_path / "out.zip"
    archive_build(teacher.user, target)
    raw = target.read_bytes()
    archive = zipfile.ZipFile(io.BytesIO(raw))
    everything = raw + b"".join(archive.read(name) for name in archive.namelist())
    teacher.user.refresh_from_db()
    for secret in (teacher.user.password, teacher.token, teacher.client_secret):
        assert secret.encode() not in everything
    assert b"argon2" not in everything
    assert b"client_secret" not in everything


def test_archive_entries_have_safe_names(teacher, tmp_path):
    """SECURITY-PLAN D-1."""
    archive = _build(teacher.user, tmp_path)
    for name in archive.namelist():
        assert not name.startswith("/")
        assert ".." not in name.split("/")


def test_writer_refuses_unsafe_paths_and_leaves_no_partial_file(teacher, tmp_path):
    def evil(user, writer):
        writer.write_json("../escape.json", {})

    target = tmp_path / "out.zip"
    with pytest.raises(ValueError, match="unsafe"):
        archive_build(teacher.user, target, parts=[ExportPart("evil", 1, 1, evil)])
    assert list(tmp_path.glob("out.zip*")) == []


def test_writer_writes_mastodon_style_csv(teacher, tmp_path):
    def follows(user, writer):
        writer.write_csv(
            "following_accounts.csv",
            ["Account address", "Show boosts"],
            [["grace@example.org", "true"]],
        )

    archive = _build(teacher.user, tmp_path, parts=[ExportPart("follows", 1, 1, follows)])
    assert archive.read("following_accounts.csv") == (
        b"Account address,Show boosts\ngrace@example.org,true\n"
    )
