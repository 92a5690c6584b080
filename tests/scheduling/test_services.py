"""Scheduling posts: the checks made when scheduling, the limits, and publishing each due
post exactly once, with its visibility, reply and uploads."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from staffroom.core import limits
from staffroom.core.exceptions import NotFound, ValidationFailed
from staffroom.graph.services import block_create
from staffroom.media.models import MediaAttachment
from staffroom.media.services import media_orphans_sweep
from staffroom.posts.models import Status, Visibility
from staffroom.posts.services import PostText, status_delete
from staffroom.scheduling import services
from staffroom.scheduling.models import ScheduledStatus, ScheduledStatusMedia
from staffroom.scheduling.services import (
    scheduled_status_create,
    scheduled_status_delete,
    scheduled_status_publish,
    scheduled_status_reschedule,
    scheduled_statuses_publish_due,
)
from tests.factories import make_post
from tests.media.test_views import ready_media

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def schedule(author, text="Tomorrow's starter", *, at=None, visibility="public", **options):
    return scheduled_status_create(
        author=author,
        scheduled_at=NOW + timedelta(hours=1) if at is None else at,
        draft=PostText(text=text),
        visibility=visibility,
        **options,
    )


def test_a_scheduled_post_keeps_what_will_be_posted(ada):
    row = schedule(ada, "Fractions warm-up", visibility=Visibility.CONNECTIONS)
    assert row.scheduled_at == NOW + timedelta(hours=1)
    assert row.params["text"] == "Fractions warm-up"
    assert row.params["visibility"] == "connections"
    assert not Status.objects.exists()


def test_iso_strings_are_read_and_naive_ones_are_utc(ada):
    assert schedule(ada, at="2026-03-02T10:00:00Z").scheduled_at == NOW + timedelta(hours=1)
    assert schedule(ada, at="2026-03-02T12:00:00+02:00").scheduled_at == NOW + timedelta(hours=1)
    assert schedule(ada, at="2026-03-02T10:30:00").scheduled_at == NOW + timedelta(minutes=90)


@pytest.mark.parametrize(
    ("at", "words"),
    [
        (NOW + timedelta(minutes=4), "at least 5 minutes"),
        (NOW - timedelta(days=1), "at least 5 minutes"),
        (NOW + timedelta(days=366), "at most a year"),
        (NOW + timedelta(days=3650), "at most a year"),
        ("tomorrow", "date and time"),
        ("2026-02-30T10:00:00Z", "date and time"),
        ("", "date and time"),
    ],
)
def test_a_time_too_soon_too_far_or_unreadable_is_refused(ada, at, words):
    with pytest.raises(ValidationFailed, match=words):
        schedule(ada, at=at)
    assert not ScheduledStatus.objects.exists()


def test_five_minutes_ahead_is_enough(ada):
    assert schedule(ada, at=NOW + timedelta(minutes=5, seconds=1))


@pytest.mark.parametrize(
    ("text", "words"),
    [("", "blank"), (None, "character limit"), ("\x00", "blank")],
)
def test_the_text_is_checked_when_scheduling(ada, text, words):
    with pytest.raises(ValidationFailed, match=words):
        schedule(ada, "x" * (limits.post_characters_max() + 1) if text is None else text)
    assert not ScheduledStatus.objects.exists()


def test_an_unknown_visibility_or_language_is_refused_when_scheduling(ada):
    with pytest.raises(ValidationFailed):
        schedule(ada, visibility="everyone")
    with pytest.raises(ValidationFailed, match="Language"):
        scheduled_status_create(
            author=ada,
            scheduled_at=NOW + timedelta(hours=1),
            draft=PostText(text="Hi", language="not a language"),
            visibility="public",
        )


def test_a_reply_to_a_post_the_author_may_not_see_is_refused(ada, bo):
    hidden = make_post(bo, "Followers only", visibility=Visibility.FOLLOWERS)
    with pytest.raises(NotFound):
        schedule(ada, "Reply", in_reply_to=hidden)


def test_someone_elses_media_is_refused(ada, bo):
    theirs = ready_media(bo)
    with pytest.raises(ValidationFailed, match="not one of your uploads"):
        schedule(ada, media_ids=[theirs.pk])


def test_media_held_by_one_scheduled_post_cannot_go_on_another(ada):
    image = ready_media(ada, description="A fraction wall")
    schedule(ada, media_ids=[image.pk])
    with pytest.raises(ValidationFailed, match="another post"):
        schedule(ada, "Again", media_ids=[image.pk])


def test_three_hundred_waiting_is_the_limit(ada, monkeypatch):
    monkeypatch.setattr(services, "TOTAL_LIMIT", 3)
    for day in range(3):
        schedule(ada, at=NOW + timedelta(days=day + 1))
    with pytest.raises(ValidationFailed, match="limit of 3 scheduled posts"):
        schedule(ada, at=NOW + timedelta(days=10))


def test_twenty_five_on_one_day_is_the_limit(ada, bo):
    day = NOW + timedelta(days=2)
    for minute in range(25):
        schedule(ada, f"Post {minute}", at=day + timedelta(minutes=minute))
    with pytest.raises(ValidationFailed, match="for that day"):
        schedule(ada, "One more", at=day + timedelta(hours=5))
    assert schedule(ada, "The next day", at=day + timedelta(days=1))
    assert schedule(bo, "Someone else", at=day)


def test_a_repeated_idempotency_key_answers_the_first_scheduled_post(ada):
    first = schedule(ada, idempotency_key="abc")
    again = schedule(ada, "Changed", idempotency_key="abc")
    assert again.pk == first.pk
    assert ScheduledStatus.objects.count() == 1


def test_rescheduling_changes_only_the_time_and_follows_the_rules(ada):
    row = schedule(ada)
    moved = scheduled_status_reschedule(
        actor=ada, scheduled_status_id=str(row.pk), scheduled_at=NOW + timedelta(days=3)
    )
    assert moved.scheduled_at == NOW + timedelta(days=3)
    assert moved.params == row.params
    with pytest.raises(ValidationFailed, match="5 minutes"):
        scheduled_status_reschedule(actor=ada, scheduled_status_id=row.pk, scheduled_at=NOW)


def test_others_cannot_reschedule_or_cancel(ada, bo):
    row = schedule(ada)
    with pytest.raises(NotFound):
        scheduled_status_reschedule(
            actor=bo, scheduled_status_id=row.pk, scheduled_at=NOW + timedelta(days=1)
        )
    with pytest.raises(NotFound):
        scheduled_status_delete(actor=bo, scheduled_status_id=row.pk)
    assert ScheduledStatus.objects.get().scheduled_at == row.scheduled_at


def test_cancelling_deletes_the_row_and_frees_its_media(ada):
    image = ready_media(ada, description="A fraction wall")
    row = schedule(ada, media_ids=[image.pk])
    scheduled_status_delete(actor=ada, scheduled_status_id=row.pk)
    assert not ScheduledStatus.objects.exists()
    assert not ScheduledStatusMedia.objects.exists()
    assert MediaAttachment.objects.filter(pk=image.pk).exists()


def test_nothing_is_published_before_its_time(ada, clock):
    schedule(ada)
    assert scheduled_statuses_publish_due() == 0
    assert ScheduledStatus.objects.count() == 1


def test_a_due_post_is_published_once_with_its_visibility(ada, clock):
    schedule(ada, "For my connections", visibility=Visibility.CONNECTIONS)
    clock.shift(timedelta(hours=1))
    assert scheduled_statuses_publish_due() == 1
    status = Status.objects.get()
    assert (status.account, status.text) == (ada, "For my connections")
    assert status.visibility == Visibility.CONNECTIONS
    assert not ScheduledStatus.objects.exists()
    assert scheduled_statuses_publish_due() == 0
    assert Status.objects.count() == 1


def test_a_reply_and_media_are_published_with_the_post(ada, bo, clock):
    question = make_post(bo, "Who has a fractions starter?")
    image = ready_media(ada, description="A fraction wall")
    schedule(ada, "This one", in_reply_to=question, media_ids=[image.pk])
    clock.shift(timedelta(hours=2))
    scheduled_statuses_publish_due()
    reply = Status.objects.get(account=ada)
    assert reply.in_reply_to == question
    image.refresh_from_db()
    assert image.status_id == reply.pk


def test_two_workers_reading_the_same_due_row_publish_it_once(ada, clock):
    """A second worker that read the row as due before the first published it (a stale
    list) finds it gone: its conditional claim changes nothing."""
    row = schedule(ada)
    clock.shift(timedelta(hours=1))
    first = scheduled_status_publish(row.pk)
    second = scheduled_status_publish(row.pk)
    assert first is not None
    assert second is None
    assert Status.objects.count() == 1


def test_a_reply_whose_post_was_deleted_is_dropped_and_logged(ada, bo, clock, caplog):
    question = make_post(bo, "Question")
    schedule(ada, "Answer", in_reply_to=question)
    status_delete(actor=bo, status=question)
    clock.shift(timedelta(hours=1))
    with caplog.at_level(logging.WARNING, logger="staffroom.scheduling.services"):
        assert scheduled_statuses_publish_due() == 0
    assert not Status.objects.filter(account=ada).exists()
    assert not ScheduledStatus.objects.exists()
    assert "not published" in caplog.text


def test_a_reply_to_someone_who_blocked_the_author_since_is_dropped(ada, bo, clock):
    question = make_post(bo, "Question")
    schedule(ada, "Answer", in_reply_to=question)
    block_create(actor=bo, target=ada)
    clock.shift(timedelta(hours=1))
    assert scheduled_statuses_publish_due() == 0
    assert not Status.objects.filter(account=ada).exists()
    assert not ScheduledStatus.objects.exists()


def test_a_deleted_upload_is_left_out_and_the_post_still_goes(ada, clock):
    image = ready_media(ada, description="A fraction wall")
    schedule(ada, "With a picture", media_ids=[image.pk])
    MediaAttachment.objects.filter(pk=image.pk).delete()
    clock.shift(timedelta(hours=1))
    assert scheduled_statuses_publish_due() == 1
    assert Status.objects.get().text == "With a picture"


def test_an_upload_used_by_a_post_published_meanwhile_is_left_out(ada, clock):
    image = ready_media(ada, description="A fraction wall")
    schedule(ada, "Scheduled with it", media_ids=[image.pk])
    now_post = make_post(ada, "Posted now with it", media_ids=[image.pk])
    clock.shift(timedelta(hours=1))
    assert scheduled_statuses_publish_due() == 1
    image.refresh_from_db()
    assert image.status_id == now_post.pk
    assert Status.objects.get(text="Scheduled with it").pk != now_post.pk


def test_a_row_that_keeps_crashing_is_given_up(ada, clock, caplog):
    row = schedule(ada)
    ScheduledStatus.objects.filter(pk=row.pk).update(attempts=services.PUBLISH_ATTEMPTS_MAX)
    clock.shift(timedelta(hours=1))
    with caplog.at_level(logging.ERROR, logger="staffroom.scheduling.services"):
        assert scheduled_status_publish(row.pk) is None
    assert not ScheduledStatus.objects.exists()
    assert "given up" in caplog.text


def test_the_media_sweep_keeps_uploads_of_scheduled_posts(ada, clock):
    held = ready_media(ada, description="Held")
    loose = ready_media(ada, description="Loose")
    schedule(ada, media_ids=[held.pk], at=NOW + timedelta(days=20))
    clock.shift(timedelta(days=10))
    media_orphans_sweep()
    assert list(MediaAttachment.objects.values_list("pk", flat=True)) == [held.pk]
    assert loose.pk != held.pk
