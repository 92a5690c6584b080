"""The posts' export parts (posts.json, bookmarks.csv) and what account deletion does to posts."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from staffroom.accounts.models import User
from staffroom.graph.services import follow_create, follow_delete
from staffroom.leaving.deletion import account_delete_request, deletion_parts
from staffroom.leaving.export import archive_build, export_parts
from staffroom.posts.deletions import posts_delete
from staffroom.posts.models import Bookmark, Favourite, Status, StatusEdit
from staffroom.posts.services import (
    PostText,
    bookmark_create,
    favourite_create,
    reblog_create,
    status_edit,
)
from tests.factories import DEFAULT_PASSWORD

POSTS_PARTS = {"posts", "bookmarks"}
DOMAIN = "staffroom.example"


@pytest.fixture
def archive_of(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"

    def build(profile) -> dict[str, bytes]:
        target = tmp_path / f"{profile.handle}.zip"
        parts = [part for part in export_parts() if part.name in POSTS_PARTS]
        archive_build(profile.user, target, parts=parts)
        archive = zipfile.ZipFile(io.BytesIO(target.read_bytes()))
        return {name: archive.read(name) for name in archive.namelist()}

    return build


def test_export_parts_register_posts_and_bookmarks_at_version_1():
    versions = {part.name: part.version for part in export_parts()}
    assert {name: versions.get(name) for name in POSTS_PARTS} == dict.fromkeys(POSTS_PARTS, 1)


def test_posts_export_holds_the_teachers_own_posts_with_history(
    settings, ada, bo, cy, post, archive_of
):
    settings.STAFFROOM_DOMAIN = DOMAIN
    opened = post(bo, "A question for the #mathchat crowd")
    shared = post(cy, "Free fraction tiles: https://example.org/tiles")
    first = post(ada, "Hello **staffroom** #edchat", visibility="unlisted")
    reply = post(ada, "Try number talks, @bo", in_reply_to=opened)
    direct = post(ada, "Just between us, @bo", visibility="direct")
    reshare = reblog_create(actor=ada, status=shared)
    status_edit(editor=ada, status=first, draft=PostText("Hello *again* #edchat", "cw"))
    files = archive_of(ada)
    document = json.loads(files["posts.json"])
    by_uri = {entry["uri"]: entry for entry in document["posts"]}
    assert list(by_uri) == [first.uri, reply.uri, direct.uri, reshare.uri]
    edited = by_uri[first.uri]
    assert edited["text"] == "Hello *again* #edchat"
    assert "<em>again</em>" in edited["content"]
    assert edited["spoiler_text"] == "cw"
    assert edited["visibility"] == "unlisted"
    assert edited["edited_at"] is not None
    assert edited["tags"] == ["edchat"]
    assert [e["text"] for e in edited["edits"]] == [
        "Hello **staffroom** #edchat",
        "Hello *again* #edchat",
    ]
    assert by_uri[reply.uri]["in_reply_to"] == opened.uri
    assert by_uri[reply.uri]["mentions"] == [f"bo@{DOMAIN}"]
    assert by_uri[direct.uri]["visibility"] == "direct"
    assert by_uri[reshare.uri]["reblog_of"] == shared.uri
    assert by_uri[reshare.uri]["text"] == ""
    # Other people's posts are referenced, never copied.
    for text in ("mathchat crowd", "fraction tiles"):
        assert text.encode() not in files["posts.json"]


def test_posts_export_keeps_only_marks_on_posts_still_visible(ada, bo, cy, post, archive_of):
    follow_create(actor=ada, target=bo)
    public = post(bo, "Public exit tickets")
    lost = post(bo, "Followers only: my union notes", visibility="followers")
    addressed = post(cy, "Direct to @ada: the staff survey", visibility="direct")
    hidden = post(cy, "Followers only: cy's draft", visibility="followers")
    for status in (public, lost, addressed):
        bookmark_create(actor=ada, status=status)
        favourite_create(actor=ada, status=status)
    # cy's followers-only post is marked by someone who can see it, never by ada.
    follow_create(actor=bo, target=cy)
    bookmark_create(actor=bo, status=hidden)
    follow_delete(actor=ada, target=bo)  # ada can no longer see `lost`
    files = archive_of(ada)
    document = json.loads(files["posts.json"])
    visible = [public.uri, addressed.uri]
    assert [mark["uri"] for mark in document["bookmarks"]] == visible
    assert [mark["uri"] for mark in document["favourites"]] == visible
    assert list(csv.reader(io.StringIO(files["bookmarks.csv"].decode()))) == [[u] for u in visible]
    assert document["posts"] == []
    everything = b"".join(files.values())
    for leaked in (lost.uri, hidden.uri, "union notes", "staff survey", "cy's draft"):
        assert leaked.encode() not in everything


def test_posts_export_for_a_teacher_with_nothing_writes_empty_files(ada, archive_of):
    files = archive_of(ada)
    assert json.loads(files["posts.json"]) == {"posts": [], "favourites": [], "bookmarks": []}
    assert files["bookmarks.csv"] == b""


def test_deletion_parts_run_posts_before_the_profile_goes():
    names = [part.name for part in deletion_parts()]
    assert names.index("posts") < names.index("profile")


def _counts(status: Status) -> tuple[int, int, int]:
    status.refresh_from_db()
    return status.replies_count, status.reblogs_count, status.favourites_count


def test_account_deletion_removes_posts_and_marks_and_corrects_counters(
    ada, bo, cy, post, run_jobs
):
    theirs = post(bo, "Public: a lesson on ratios")
    for actor in (ada, cy):
        favourite_create(actor=actor, status=theirs)
        reblog_create(actor=actor, status=theirs)
        post(actor, f"Reply from {actor.handle}", in_reply_to=theirs)
    post(ada, "A second reply from ada", in_reply_to=theirs)
    own = post(ada, "Ada's own thread")
    own_reply = post(ada, "continued", in_reply_to=own)
    answered = post(cy, "cy answers ada", in_reply_to=own_reply)
    favourite_create(actor=bo, status=own)
    bookmark_create(actor=ada, status=theirs)
    bookmark_create(actor=bo, status=own)
    status_edit(editor=ada, status=own, draft=PostText("Ada's own thread, edited"))
    assert _counts(theirs) == (3, 2, 2)
    ada_id = ada.pk
    account_delete_request(user=ada.user, password=DEFAULT_PASSWORD)
    run_jobs()
    assert not User.objects.filter(pk=ada.user.pk).exists()
    assert not Status.objects.filter(account_id=ada_id).exists()
    assert not Favourite.objects.filter(account_id=ada_id).exists()
    assert not Bookmark.objects.filter(account_id=ada_id).exists()
    assert not Bookmark.objects.filter(status_id=own.pk).exists()
    assert not StatusEdit.objects.filter(status_id=own.pk).exists()
    assert _counts(theirs) == (1, 1, 1)
    # Others' replies to ada's posts stay, detached from the gone parent.
    answered.refresh_from_db()
    assert answered.in_reply_to_id is None


def test_posts_delete_is_idempotent_and_never_counts_twice(ada, bo, cy, post):
    theirs = post(bo, "Public: a lesson on ratios")
    for actor in (ada, cy):
        favourite_create(actor=actor, status=theirs)
        reblog_create(actor=actor, status=theirs)
        post(actor, "A reply", in_reply_to=theirs)
    posts_delete(ada.user)
    assert _counts(theirs) == (1, 1, 1)
    posts_delete(ada.user)
    assert _counts(theirs) == (1, 1, 1)
    assert Status.objects.filter(account=cy).count() == 2
