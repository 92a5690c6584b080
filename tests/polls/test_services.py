"""Polls' services: creating with the post, voting (counts, multiple choice, expiry, a
second vote, a concurrent one), editing, ending once, and a leaving teacher's votes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from staffroom.core import limits
from staffroom.core.exceptions import NotFound, ValidationFailed
from staffroom.polls.models import Poll, PollOption, PollVote
from staffroom.polls.services import (
    PollDraft,
    poll_draft_clean,
    poll_vote,
    poll_votes_delete_for_account,
    polls_end_due,
)
from staffroom.posts.models import Status
from staffroom.posts.services import PostText, status_create, status_delete, status_edit

pytestmark = pytest.mark.django_db

DAY = 24 * 60 * 60


def ask(author, options=("Yes", "No"), *, multiple=False, hide_totals=False, expires_in=DAY, **kw):
    return status_create(
        author=author,
        draft=PostText(text="Which one?"),
        poll=PollDraft(
            options=tuple(options),
            expires_in=expires_in,
            multiple=multiple,
            hide_totals=hide_totals,
        ),
        **kw,
    ).poll


def counts(poll):
    poll.refresh_from_db()
    options = list(poll.options.order_by("position").values_list("votes_count", flat=True))
    return poll.votes_count, poll.voters_count, options


def test_poll_is_created_with_its_post(ada):
    poll = ask(ada, ["Fractions", "Decimals", "Percentages"])
    assert poll.status.account == ada
    assert poll.account == ada
    assert [o.title for o in poll.options.order_by("position")] == [
        "Fractions",
        "Decimals",
        "Percentages",
    ]
    assert abs((poll.expires_at - timezone.now()).total_seconds() - DAY) < 5


def test_poll_refused_refuses_the_post_and_writes_nothing(ada):
    with pytest.raises(ValidationFailed, match="more than one item"):
        ask(ada, ["Only one"])
    assert not Status.objects.exists()
    assert not Poll.objects.exists()


@pytest.mark.parametrize(
    ("options", "expires_in", "message"),
    [
        (["a"], DAY, "more than one item"),
        ([f"o{i}" for i in range(50)], DAY, "more than 4 items"),
        (["a", "   "], DAY, "can't be blank"),
        (["a", "x" * (limits.POLL_OPTION_CHARS_MAX + 1)], DAY, "longer than 50"),
        (["Same", "same"], DAY, "duplicate"),
        (["a", "b"], limits.POLL_EXPIRATION_MIN - 1, "too soon"),
        (["a", "b"], limits.POLL_EXPIRATION_MAX + 1, "too far"),
    ],
)
def test_poll_draft_clean_refuses_what_the_instance_does_not_advertise(
    options, expires_in, message
):
    with pytest.raises(ValidationFailed, match=message):
        poll_draft_clean(PollDraft(options=tuple(options), expires_in=expires_in))


def test_poll_draft_clean_accepts_the_advertised_limits():
    """SECURITY-PLAN R-4."""
    draft = PollDraft(
        options=tuple("x" * limits.POLL_OPTION_CHARS_MAX + str(i) for i in range(4)),
        expires_in=limits.POLL_EXPIRATION_MAX,
    )
    with pytest.raises(ValidationFailed):  # 51 characters each
        poll_draft_clean(draft)
    ok = PollDraft(
        options=tuple(f"{i}" * limits.POLL_OPTION_CHARS_MAX for i in range(4)),
        expires_in=limits.POLL_EXPIRATION_MIN,
    )
    assert poll_draft_clean(ok).options == ok.options


def test_poll_and_media_are_refused_together(ada):
    with pytest.raises(ValidationFailed, match="both media and a poll"):
        ask(ada, media_ids=["1"])
    assert not Status.objects.exists()


def test_vote_counts_with_the_vote(ada, bo, cy):
    poll = ask(ada, ["A", "B", "C"])
    poll_vote(voter=bo, poll=poll, choices=[1])
    poll_vote(voter=cy, poll=poll, choices=[1])
    assert counts(poll) == (2, 2, [0, 2, 0])
    assert set(PollVote.objects.values_list("account_id", "choice")) == {(bo.pk, 1), (cy.pk, 1)}


def test_multiple_choice_counts_votes_and_voters_apart(ada, bo):
    poll = ask(ada, ["A", "B", "C"], multiple=True)
    poll_vote(voter=bo, poll=poll, choices=[0, 2, 2])
    assert counts(poll) == (2, 1, [1, 0, 1])


def test_single_choice_refuses_several_answers(ada, bo):
    poll = ask(ada)
    with pytest.raises(ValidationFailed, match="already voted"):
        poll_vote(voter=bo, poll=poll, choices=[0, 1])
    assert counts(poll) == (0, 0, [0, 0])


def test_second_vote_is_refused(ada, bo):
    poll = ask(ada, multiple=True)
    poll_vote(voter=bo, poll=poll, choices=[0])
    with pytest.raises(ValidationFailed, match="already voted"):
        poll_vote(voter=bo, poll=poll, choices=[1])
    assert counts(poll) == (1, 1, [1, 0])


@pytest.mark.parametrize("choices", [[2], [-1], []])
def test_vote_refuses_unknown_answers(ada, bo, choices):
    poll = ask(ada)
    with pytest.raises(ValidationFailed):
        poll_vote(voter=bo, poll=poll, choices=choices)
    assert not PollVote.objects.exists()


def test_author_cannot_vote_in_their_own_poll(ada):
    poll = ask(ada)
    with pytest.raises(ValidationFailed, match="your own polls"):
        poll_vote(voter=ada, poll=poll, choices=[0])


def test_vote_after_the_end_is_refused(ada, bo):
    poll = ask(ada, expires_in=limits.POLL_EXPIRATION_MIN)
    later = time_machine.travel(timezone.now() + timedelta(minutes=6))
    with later, pytest.raises(ValidationFailed, match="already ended"):
        poll_vote(voter=bo, poll=poll, choices=[0])
    assert counts(poll) == (0, 0, [0, 0])


def test_vote_on_a_post_out_of_sight_is_not_found(ada, bo):
    poll = ask(ada, visibility="followers")
    with pytest.raises(NotFound):
        poll_vote(voter=bo, poll=poll, choices=[0])


def test_unique_constraint_stops_a_concurrent_second_vote(ada, bo):
    """The check before the insert can be raced; the constraint cannot."""
    poll = ask(ada)
    PollVote.objects.create(poll=poll, account=bo, choice=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        PollVote.objects.create(poll=poll, account=bo, choice=0)


def test_edit_with_other_answers_resets_votes(ada, bo):
    status = ask(ada).status
    poll_vote(voter=bo, poll=status.poll, choices=[0])
    status_edit(
        editor=ada,
        status=status,
        draft=PostText(text="Which one now?"),
        poll=PollDraft(options=("Yes", "No", "Maybe"), expires_in=DAY),
    )
    poll = Poll.objects.get(status=status)
    assert counts(poll) == (0, 0, [0, 0, 0])
    assert not PollVote.objects.exists()


def test_edit_with_the_same_answers_keeps_votes(ada, bo):
    status = ask(ada).status
    poll_vote(voter=bo, poll=status.poll, choices=[0])
    status_edit(
        editor=ada,
        status=status,
        draft=PostText(text="Which one, again?"),
        poll=PollDraft(options=("Yes", "No"), expires_in=DAY * 2),
    )
    assert counts(Poll.objects.get(status=status)) == (1, 1, [1, 0])


def test_edit_without_a_poll_removes_it_and_keep_leaves_it(ada):
    status = ask(ada).status
    status_edit(editor=ada, status=status, draft=PostText(text="Still asking"))
    assert Poll.objects.filter(status=status).exists()
    status_edit(editor=ada, status=status, draft=PostText(text="No poll"), poll=None)
    assert not Poll.objects.filter(status=status).exists()
    assert not PollOption.objects.exists()


def test_polls_end_due_ends_each_poll_once(ada):
    poll = ask(ada, expires_in=limits.POLL_EXPIRATION_MIN)
    ask(ada, expires_in=DAY)
    assert polls_end_due() == []
    later = timezone.now() + timedelta(minutes=6)
    assert polls_end_due(now=later) == [poll.pk]
    assert polls_end_due(now=later) == []


def test_deleting_the_post_deletes_its_poll(ada, bo):
    poll = ask(ada)
    poll_vote(voter=bo, poll=poll, choices=[0])
    status_delete(actor=ada, status=poll.status)
    assert not Poll.objects.exists()
    assert not PollVote.objects.exists()


def test_leaving_teacher_votes_come_off_the_counts(ada, bo, cy):
    poll = ask(ada, ["A", "B"], multiple=True)
    poll_vote(voter=bo, poll=poll, choices=[0, 1])
    poll_vote(voter=cy, poll=poll, choices=[1])
    assert poll_votes_delete_for_account(bo) == 2
    assert counts(poll) == (1, 1, [0, 1])
    assert poll_votes_delete_for_account(bo) == 0
