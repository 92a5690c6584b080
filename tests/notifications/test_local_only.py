"""Notifications are written for local accounts only: a remote account hears of what
happened here through federation, on its own server."""

from __future__ import annotations

import pytest
from django.utils import timezone

from staffroom.graph.models import Follow
from staffroom.moderation.models import Report
from staffroom.notifications.models import Notification, NotificationKind
from staffroom.notifications.rules import may_notify
from staffroom.notifications.tasks import notify, notify_report_resolved, notify_status
from staffroom.posts.models import Mention, Status
from tests.factories import make_remote_profile

pytestmark = pytest.mark.django_db


def test_the_rules_never_notify_a_remote_account(ada):
    kim = make_remote_profile(handle="kim")
    assert may_notify(ada, kim, NotificationKind.FOLLOW)  # from a remote account: yes
    assert not may_notify(kim, ada, NotificationKind.FOLLOW)
    follow = Follow.objects.create(follower=ada, followee=kim)
    kind = NotificationKind.FOLLOW
    assert notify(recipient=kim, actor=ada, kind=kind, source_id=follow.pk) is None
    assert not Notification.objects.filter(recipient=kim).exists()


def test_a_post_tells_local_mentioned_and_watchers_only(ada, bo, post):
    kim = make_remote_profile(handle="kim")
    Follow.objects.create(follower=bo, followee=ada, notify=True)
    Follow.objects.create(follower=kim, followee=ada, notify=True)
    status = post(ada, "hello")
    Mention.objects.create(status=status, profile=kim)
    notify_status.func(status_id=status.pk)
    assert set(Notification.objects.values_list("recipient_id", "kind")) == {
        (bo.pk, NotificationKind.STATUS)
    }


def test_a_remote_post_mentioning_a_teacher_tells_the_teacher(ada):
    kim = make_remote_profile(handle="kim")
    status = Status.objects.create(account=kim, uri="https://mastodon.example/s/1", thread_id=0)
    Mention.objects.create(status=status, profile=ada)
    notify_status.func(status_id=status.pk)
    assert set(Notification.objects.values_list("recipient_id", "account_id")) == {(ada.pk, kim.pk)}


def test_a_remote_reporter_is_not_told_here_that_the_report_was_handled(ada):
    kim = make_remote_profile(handle="kim")
    report = Report.objects.create(reporter=kim, target=ada, resolved_at=timezone.now())
    notify_report_resolved.func(report_id=report.pk)
    assert not Notification.objects.exists()
