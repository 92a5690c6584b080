"""The notifications export part (notifications.json): the teacher's preferences and the
notifications they can read (kind, when, who, which post), oldest first; never another
teacher's notifications, nothing from a suspended account nor about a post they may no
longer see."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest

from staffroom.graph.services import follow_create
from staffroom.leaving.export import archive_build, export_parts
from staffroom.moderation import services as moderation
from staffroom.notifications.services import policy_update, preferences_update
from staffroom.posts.models import Visibility
from staffroom.posts.services import favourite_create

DOMAIN = "staffroom.example"

pytestmark = pytest.mark.django_db


@pytest.fixture
def notifications_json(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.STAFFROOM_DOMAIN = DOMAIN

    def build(profile) -> dict[str, Any]:
        target = tmp_path / f"{profile.handle}.zip"
        parts = [part for part in export_parts() if part.name == "notifications"]
        archive_build(profile.user, target, parts=parts)
        archive = zipfile.ZipFile(io.BytesIO(target.read_bytes()))
        assert archive.namelist() == ["notifications.json", "manifest.json"]
        return json.loads(archive.read("notifications.json"))

    return build


def test_export_parts_register_notifications_at_version_1():
    versions = {part.name: part.version for part in export_parts()}
    assert versions.get("notifications") == 1


def test_notifications_export_holds_preferences_and_each_notification_oldest_first(
    ada, bo, cy, post, run_jobs, notifications_json
):
    preferences_update(ada, muted_kinds=["reblog"], email_kinds=["mention", "follow"])
    follow_create(actor=bo, target=ada)
    status = post(ada, "Exit tickets that take one minute")
    favourite_create(actor=cy, status=status)
    reply = post(bo, "Stealing this", in_reply_to=status)
    post(cy, "Hello @bo")  # bo's, not ada's
    run_jobs()

    document = notifications_json(ada)

    assert document["preferences"] == {
        "muted_kinds": ["reblog"],
        "email_kinds": ["follow", "mention"],
    }
    items = document["notifications"]
    assert [(n["kind"], n["account"], n["status_id"]) for n in items] == [
        ("follow", f"bo@{DOMAIN}", None),
        ("favourite", f"cy@{DOMAIN}", str(status.pk)),
        ("mention", f"bo@{DOMAIN}", str(reply.pk)),
    ]
    assert all(n["created_at"] for n in items)


def test_notifications_export_of_a_teacher_with_none_has_default_preferences(
    ada, notifications_json
):
    assert notifications_json(ada) == {
        "preferences": {"muted_kinds": [], "email_kinds": []},
        "policy": {
            "for_not_following": "accept",
            "for_not_followers": "accept",
            "for_new_accounts": "accept",
            "for_private_mentions": "filter",
            "for_limited_accounts": "filter",
        },
        "notifications": [],
    }


def test_notifications_export_leaves_out_suspended_accounts_and_posts_no_longer_seen(
    moderator, ada, bo, cy, post, run_jobs, notifications_json
):
    follow_create(actor=bo, target=ada)
    follow_create(actor=cy, target=ada)
    status = post(ada, "Seating charts")
    favourite_create(actor=bo, status=status)
    run_jobs()
    moderation.account_suspend(actor=moderator, account_id=cy.pk, note="Spam.")
    moderation.status_remove(actor=moderator, status_id=status.pk, note="Student names.")

    items = notifications_json(ada)["notifications"]

    assert [(n["kind"], n["account"]) for n in items] == [("follow", f"bo@{DOMAIN}")]


def test_notifications_export_has_the_policy_and_what_is_put_aside(
    ada, bo, post, run_jobs, notifications_json
):
    policy_update(ada, for_not_following="filter", for_new_accounts="drop")
    post(bo, "@ada welcome", visibility=Visibility.DIRECT)
    run_jobs()
    assert notifications_json(ada)["notifications"] == []  # dropped: a new account
    policy_update(ada, for_new_accounts="accept")
    post(bo, "@ada again", visibility=Visibility.DIRECT)
    run_jobs()
    written = notifications_json(ada)
    assert written["policy"]["for_not_following"] == "filter"
    assert written["policy"]["for_new_accounts"] == "accept"
    assert [(n["kind"], n["filtered"]) for n in written["notifications"]] == [("mention", True)]
