"""The polls' export part (polls.json) and what account deletion does to polls and votes."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from staffroom.leaving.deletion import account_delete_request
from staffroom.leaving.export import archive_build, export_parts
from staffroom.polls.models import Poll, PollVote
from staffroom.polls.services import PollDraft, poll_vote
from staffroom.posts.services import PostText, status_create
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def ask(author, **kw):
    return status_create(
        author=author,
        draft=PostText(text="Which?"),
        poll=PollDraft(options=("Red", "Blue"), expires_in=3600),
        **kw,
    ).poll


def polls_json(profile, settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    target = tmp_path / f"{profile.handle}.zip"
    parts = [part for part in export_parts() if part.name == "polls"]
    archive_build(profile.user, target, parts=parts)
    archive = zipfile.ZipFile(io.BytesIO(target.read_bytes()))
    return json.loads(archive.read("polls.json"))


def test_export_holds_own_polls_and_votes_on_visible_posts(ada, bo, cy, settings, tmp_path):
    own = ask(bo)
    poll_vote(voter=cy, poll=ask(ada), choices=[1])
    poll_vote(voter=bo, poll=ask(ada), choices=[0])
    hidden = ask(cy)
    poll_vote(voter=bo, poll=hidden, choices=[1])
    hidden.status.visibility = "direct"  # since out of bo's sight: its vote stays out
    hidden.status.save(update_fields=["visibility"])
    data = polls_json(bo, settings, tmp_path)
    assert [poll["status_uri"] for poll in data["polls"]] == [own.status.uri]
    assert data["polls"][0]["options"] == [
        {"title": "Red", "votes_count": 0},
        {"title": "Blue", "votes_count": 0},
    ]
    assert len(data["votes"]) == 1
    assert data["votes"][0]["choices"] == [0]
    assert "text" not in data["votes"][0]


def test_deleting_an_account_takes_its_votes_off_and_its_polls_away(ada, bo, cy, run_jobs):
    others = ask(cy)
    poll_vote(voter=bo, poll=others, choices=[0])
    poll_vote(voter=ada, poll=others, choices=[1])
    ask(bo)
    account_delete_request(user=bo.user, password=DEFAULT_PASSWORD)
    run_jobs()
    others.refresh_from_db()
    assert (others.votes_count, others.voters_count) == (1, 1)
    assert list(others.options.values_list("votes_count", flat=True)) == [0, 1]
    assert not PollVote.objects.filter(account_id=bo.pk).exists()
    assert list(Poll.objects.values_list("pk", flat=True)) == [others.pk]
