"""Which events notify whom: follows, requests, connections, mentions and replies,
favourites, reshares, posts from accounts a follower asked to hear from, reports handled;
and what never notifies: yourself, a quiet follow, a block, a mute of notifications, a kind
turned off, a post you may not see."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from staffroom.graph.services import (
    block_create,
    connection_accept,
    connection_ask,
    follow_create,
    mute_create,
)
from staffroom.moderation import services as moderation
from staffroom.notifications.models import Notification, NotificationKind
from staffroom.notifications.selectors import notifications_for, unread_count
from staffroom.notifications.services import preferences_update
from staffroom.posts.models import Visibility
from staffroom.posts.services import favourite_create, reblog_create

pytestmark = pytest.mark.django_db


def _kinds(profile) -> list[tuple[str, str]]:
    return sorted(
        (n.kind, n.account.handle) for n in Notification.objects.filter(recipient=profile)
    )


def test_a_follow_a_favourite_a_reshare_and_a_reply_reach_the_author(ada, bo, post, run_jobs):
    follow_create(actor=bo, target=ada)
    status = post(ada, "Fractions with pizza")
    favourite_create(actor=bo, status=status)
    reblog_create(actor=bo, status=status)
    post(bo, "Love it", in_reply_to=status)
    run_jobs()
    assert _kinds(ada) == [
        ("favourite", "bo"),
        ("follow", "bo"),
        ("mention", "bo"),
        ("reblog", "bo"),
    ]
    assert _kinds(bo) == []


def test_a_mention_reaches_each_person_mentioned_once(ada, bo, cy, post, run_jobs):
    status = post(ada, "Hello @bo and @cy and @bo again")
    run_jobs()
    assert _kinds(bo) == [("mention", "ada")]
    assert _kinds(cy) == [("mention", "ada")]
    assert Notification.objects.get(recipient=bo).status == status


def test_a_quiet_follow_notifies_nobody(ada, bo, run_jobs):
    follow_create(actor=bo, target=ada, quiet=True)
    run_jobs()
    assert _kinds(ada) == []


def test_a_follow_request_and_a_connection_request_and_acceptance(ada, bo, cy, run_jobs):
    ada.is_locked = True
    ada.save(update_fields=["is_locked"])
    follow_create(actor=bo, target=ada)
    connection_ask(actor=cy, target=ada)
    run_jobs()
    assert (NotificationKind.FOLLOW_REQUEST, "bo") in _kinds(ada)
    assert (NotificationKind.CONNECTION_REQUEST, "cy") in _kinds(ada)
    connection_accept(actor=ada, requester=cy)
    run_jobs()
    assert (NotificationKind.CONNECTION_ACCEPTED, "ada") in _kinds(cy)


def test_posts_notify_followers_who_asked_and_only_if_they_may_see_them(
    ada, bo, cy, post, run_jobs
):
    follow_create(actor=bo, target=ada, notify=True)
    follow_create(actor=cy, target=ada)
    run_jobs()
    Notification.objects.all().delete()
    post(ada, "New lesson plan")
    post(ada, "For @cy only", visibility=Visibility.DIRECT)
    run_jobs()
    assert _kinds(bo) == [("status", "ada")]
    assert _kinds(cy) == [("mention", "ada")]


def test_blocks_and_notification_mutes_silence_an_account(ada, bo, cy, post, run_jobs):
    block_create(actor=ada, target=bo)
    mute_create(actor=ada, target=cy, notifications=True)
    status = post(ada, "Hello")
    favourite_create(actor=cy, status=status)
    post(cy, "@ada hi")
    run_jobs()
    assert _kinds(ada) == []


def test_a_mute_that_keeps_notifications_still_notifies(ada, cy, post, run_jobs):
    mute_create(actor=ada, target=cy, notifications=False)
    post(cy, "@ada hi")
    run_jobs()
    assert _kinds(ada) == [("mention", "cy")]


def test_an_expired_mute_no_longer_silences(ada, cy, post, run_jobs):
    mute_create(actor=ada, target=cy, notifications=True, duration=60)
    from staffroom.graph.models import Mute

    Mute.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    post(cy, "@ada hi")
    run_jobs()
    assert _kinds(ada) == [("mention", "cy")]


def test_a_kind_turned_off_is_never_written(ada, bo, post, run_jobs):
    preferences_update(ada, muted_kinds=[NotificationKind.FAVOURITE])
    status = post(ada, "Hello")
    favourite_create(actor=bo, status=status)
    post(bo, "@ada hi")
    run_jobs()
    assert _kinds(ada) == [("mention", "bo")]


def test_a_retried_job_writes_one_notification(ada, bo, post, run_jobs):
    from staffroom.notifications.tasks import notify_status

    status = post(bo, "@ada hi")
    run_jobs()
    notify_status.func(status_id=status.pk)
    assert Notification.objects.filter(recipient=ada).count() == 1


def test_a_notification_about_a_post_gone_from_view_is_left_out(ada, bo, post, run_jobs):
    status = post(bo, "@ada hi")
    run_jobs()
    assert len(notifications_for(ada)) == 1
    block_create(actor=bo, target=ada)
    assert notifications_for(ada) == []
    assert status.pk  # the post exists; ada may not see it any more


def test_while_away_notifications_are_kept_but_not_counted(ada, bo, post, run_jobs):
    ada.is_away = True
    ada.save(update_fields=["is_away"])
    post(bo, "@ada are you there?")
    run_jobs()
    assert unread_count(ada) == 0
    assert Notification.objects.get(recipient=ada).while_away
    ada.is_away = False
    ada.save(update_fields=["is_away"])
    from staffroom.notifications.selectors import away_summary
    from staffroom.notifications.services import away_summary_seen

    assert away_summary(ada) == {"mention": 1}
    assert unread_count(ada) == 0  # the summary, not the badge, tells of them
    away_summary_seen(ada)
    assert away_summary(ada) == {}
    post(bo, "@ada welcome back")
    run_jobs()
    assert unread_count(ada) == 1


def test_a_handled_report_tells_the_reporter_without_naming_the_moderator(
    ada, bo, moderator, run_jobs
):
    report = moderation.report_create(reporter=ada, target_id=bo.pk)
    moderation.report_dismiss(actor=moderator, report_id=report.pk)
    run_jobs()
    [notification] = Notification.objects.filter(recipient=ada)
    assert notification.kind == NotificationKind.REPORT_RESOLVED
    assert notification.account == ada
    assert _kinds(bo) == []


def test_an_account_blocked_or_muted_since_disappears_from_every_reader(
    ada, bo, cy, post, run_jobs
):
    from staffroom.graph.services import follow_create as follow

    follow(actor=bo, target=ada)
    follow(actor=cy, target=ada)
    run_jobs()
    assert unread_count(ada) == 2
    block_create(actor=ada, target=bo)
    mute_create(actor=ada, target=cy, notifications=True)
    assert notifications_for(ada) == []
    assert unread_count(ada) == 0
