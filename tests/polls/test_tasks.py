"""The periodic end of polls: once a poll's time is up, its voters and its author get one
`poll` notification each, however often the job runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from staffroom.core import limits
from staffroom.graph.services import block_create
from staffroom.notifications.models import Notification, NotificationKind
from staffroom.notifications.services import preferences_update
from staffroom.polls.services import PollDraft, poll_vote
from staffroom.polls.tasks import polls_end_task
from staffroom.posts.services import PostText, status_create
from tests.graph.test_api_helpers import bearer, call

pytestmark = pytest.mark.django_db


def ask(author):
    return status_create(
        author=author,
        draft=PostText(text="Quick one"),
        poll=PollDraft(options=("A", "B"), expires_in=limits.POLL_EXPIRATION_MIN),
    ).poll


def end(run_jobs):
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        polls_end_task()
        run_jobs()


def polls_notified():
    return sorted(
        Notification.objects.filter(kind=NotificationKind.POLL).values_list(
            "recipient__handle", "account__handle"
        )
    )


def test_ended_poll_tells_voters_and_author_once(ada, bo, cy, run_jobs):
    poll = ask(ada)
    poll_vote(voter=bo, poll=poll, choices=[0])
    poll_vote(voter=cy, poll=poll, choices=[1])
    run_jobs()
    assert polls_notified() == []
    end(run_jobs)
    assert polls_notified() == [("ada", "ada"), ("bo", "ada"), ("cy", "ada")]
    end(run_jobs)
    assert len(polls_notified()) == 3


def test_poll_running_tells_nobody(ada, bo, run_jobs):
    poll_vote(voter=bo, poll=ask(ada), choices=[0])
    polls_end_task()
    run_jobs()
    assert polls_notified() == []


def test_poll_notice_respects_blocks_and_muted_kinds(ada, bo, cy, run_jobs):
    poll = ask(ada)
    poll_vote(voter=bo, poll=poll, choices=[0])
    poll_vote(voter=cy, poll=poll, choices=[0])
    block_create(actor=bo, target=ada)
    preferences_update(ada, muted_kinds=[NotificationKind.POLL])
    end(run_jobs)
    assert polls_notified() == [("cy", "ada")]


def test_poll_notification_in_the_mastodon_api(client, ada, bo, run_jobs):
    poll_vote(voter=bo, poll=ask(ada), choices=[0])
    end(run_jobs)
    with time_machine.travel(timezone.now() + timedelta(minutes=7)):
        body = call(client, "GET", "/api/v1/notifications", bearer(bo)).json()
    assert [item["type"] for item in body] == ["poll"]
    assert body[0]["account"]["id"] == str(ada.pk)
    assert body[0]["status"]["poll"]["expired"] is True
