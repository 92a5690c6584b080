"""Notification filtering (Mastodon 4.3's notification policy): which senders each
category covers (not followed, not following, new accounts, private mentions out of the
blue, accounts limited by moderators), accept / filter / drop, what a filtered
notification reaches (nothing: no list, count, stream, push nor e-mail), requests accepted
(now and later) or dismissed, blocks and mutes still winning, and account deletion."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from staffroom.core.exceptions import NotFound, ValidationFailed
from staffroom.graph.models import Follow
from staffroom.graph.services import (
    block_create,
    connection_accept,
    connection_ask,
    follow_create,
    mute_create,
)
from staffroom.leaving.deletion import deletion_parts
from staffroom.moderation import services as moderation
from staffroom.notifications import email
from staffroom.notifications.models import (
    Notification,
    NotificationKind,
    NotificationPermission,
    NotificationRequest,
)
from staffroom.notifications.selectors import (
    notifications_for,
    policy_of,
    policy_summary,
    request_get,
    requests_for,
    unread_count,
)
from staffroom.notifications.services import (
    policy_update,
    request_accept,
    request_dismiss,
    requests_accept,
)
from staffroom.posts.models import Visibility
from staffroom.posts.services import favourite_create
from staffroom.profiles.models import Profile

pytestmark = pytest.mark.django_db


def _age(profile: Profile, days: int) -> None:
    Profile.objects.filter(pk=profile.pk).update(created_at=timezone.now() - timedelta(days=days))
    profile.refresh_from_db()


def _listed(profile: Profile) -> list[tuple[str, str]]:
    return sorted((n.kind, n.account.handle) for n in notifications_for(profile))


def _held(profile: Profile) -> list[tuple[str, str]]:
    rows = Notification.objects.filter(recipient=profile, filtered=True)
    return sorted((n.kind, n.account.handle) for n in rows)


def test_defaults_are_mastodons():
    policy = policy_of(Profile(handle="x"))
    assert (
        policy.for_not_following,
        policy.for_not_followers,
        policy.for_new_accounts,
        policy.for_private_mentions,
        policy.for_limited_accounts,
    ) == ("accept", "accept", "accept", "filter", "filter")


def test_by_default_public_things_from_strangers_are_shown(ada, bo, post, run_jobs):
    status = post(ada, "Fractions")
    favourite_create(actor=bo, status=status)
    follow_create(actor=bo, target=ada)
    post(bo, "@ada hello")
    run_jobs()
    assert _listed(ada) == [("favourite", "bo"), ("follow", "bo"), ("mention", "bo")]
    assert _held(ada) == []


def test_a_private_mention_from_someone_not_followed_is_put_aside_by_default(
    ada, bo, post, run_jobs
):
    post(bo, "@ada a private word", visibility=Visibility.DIRECT)
    run_jobs()
    assert _listed(ada) == []
    assert _held(ada) == [("mention", "bo")]
    request = NotificationRequest.objects.get(recipient=ada)
    assert request.account_id == bo.pk
    assert request.last_status is not None
    assert unread_count(ada) == 0
    summary = policy_summary(ada)
    assert (summary.pending_requests_count, summary.pending_notifications_count) == (1, 1)


def test_a_private_mention_from_someone_followed_or_replying_to_you_is_shown(
    ada, bo, cy, post, run_jobs
):
    follow_create(actor=ada, target=bo)
    post(bo, "@ada from a friend", visibility=Visibility.DIRECT)
    mine = post(ada, "@cy a question for you", visibility=Visibility.DIRECT)
    post(cy, "@ada here is my answer", visibility=Visibility.DIRECT, in_reply_to=mine)
    run_jobs()
    assert _listed(ada) == [("mention", "bo"), ("mention", "cy")]
    assert _held(ada) == []


def test_a_filtered_notification_is_told_to_no_stream_push_or_email(
    ada, bo, post, run_jobs, monkeypatch
):
    emitted: list[Any] = []
    monkeypatch.setattr("staffroom.notifications.tasks.emit", emitted.append)
    post(bo, "@ada psst", visibility=Visibility.DIRECT)
    run_jobs()
    assert _held(ada) == [("mention", "bo")]
    assert emitted == []  # NotificationCreated drives streaming and Web Push
    assert not email._pending(timezone.now()).filter(recipient=ada).exists()


def test_drop_writes_nothing_and_filter_puts_aside(ada, bo, cy, post, run_jobs):
    follow_create(actor=ada, target=cy)
    policy_update(ada, for_not_following="drop")
    status = post(ada, "Seating plans")
    favourite_create(actor=bo, status=status)
    favourite_create(actor=cy, status=status)
    run_jobs()
    assert _listed(ada) == [("favourite", "cy")]
    assert not Notification.objects.filter(recipient=ada, account=bo).exists()
    assert not NotificationRequest.objects.filter(recipient=ada).exists()

    policy_update(ada, for_not_following="filter")
    post(bo, "@ada nice plan")
    run_jobs()
    assert _held(ada) == [("mention", "bo")]


def test_not_followers_covers_follows_younger_than_three_days(ada, bo, cy, post, run_jobs):
    policy_update(ada, for_not_followers="filter")
    follow_create(actor=bo, target=ada)
    follow_create(actor=cy, target=ada)
    Follow.objects.filter(follower=cy).update(created_at=timezone.now() - timedelta(days=4))
    run_jobs()  # the follows themselves: both followers too new
    Notification.objects.all().delete()
    NotificationRequest.objects.all().delete()
    status = post(ada, "Homework policy")
    favourite_create(actor=bo, status=status)
    favourite_create(actor=cy, status=status)
    run_jobs()
    assert _listed(ada) == [("favourite", "cy")]
    assert _held(ada) == [("favourite", "bo")]


def test_new_accounts_are_younger_than_thirty_days(ada, bo, cy, post, run_jobs):
    policy_update(ada, for_new_accounts="filter")
    _age(cy, 31)
    status = post(ada, "Reading corner")
    favourite_create(actor=bo, status=status)
    favourite_create(actor=cy, status=status)
    run_jobs()
    assert _listed(ada) == [("favourite", "cy")]
    assert _held(ada) == [("favourite", "bo")]


def test_limited_accounts_are_put_aside_by_default(moderator, ada, bo, post, run_jobs):
    moderation.account_limit(actor=moderator, account_id=bo.pk)
    status = post(ada, "Phonics")
    favourite_create(actor=bo, status=status)
    run_jobs()
    assert _held(ada) == [("favourite", "bo")]
    policy_update(ada, for_limited_accounts="accept")
    post(bo, "@ada hello")
    run_jobs()
    assert _listed(ada) == [("mention", "bo")]


def test_the_strictest_choice_wins(ada, bo, post, run_jobs):
    policy_update(ada, for_not_following="filter", for_new_accounts="drop")
    post(bo, "@ada hi")
    run_jobs()
    assert not Notification.objects.filter(recipient=ada).exists()


def test_follow_requests_and_connection_requests_are_filterable_but_acceptances_not(
    ada, bo, run_jobs
):
    policy_update(ada, for_not_following="filter")
    policy_update(bo, for_not_following="drop", for_new_accounts="drop")
    ada.is_locked = True
    ada.save(update_fields=["is_locked"])
    follow_create(actor=bo, target=ada)
    connection_ask(actor=bo, target=ada)
    run_jobs()
    assert _held(ada) == [
        (NotificationKind.FOLLOW_REQUEST, "bo"),
        (NotificationKind.CONNECTION_REQUEST, "bo"),
    ]
    connection_accept(actor=ada, requester=bo)
    run_jobs()
    assert _listed(bo) == [(NotificationKind.CONNECTION_ACCEPTED, "ada")]


def test_accepting_moves_the_notifications_and_later_ones(ada, bo, post, run_jobs):
    policy_update(ada, for_not_following="filter")
    status = post(ada, "Maths trail")
    favourite_create(actor=bo, status=status)
    post(bo, "@ada loved it")
    run_jobs()
    assert _listed(ada) == []
    request = requests_for(ada)[0]
    assert getattr(request, "notifications_count", None) == 2
    request_accept(ada, request.pk)
    assert _listed(ada) == [("favourite", "bo"), ("mention", "bo")]
    assert not NotificationRequest.objects.filter(recipient=ada).exists()
    assert NotificationPermission.objects.filter(recipient=ada, account=bo).exists()
    post(bo, "@ada and another thing")
    run_jobs()
    assert _held(ada) == []
    assert len(_listed(ada)) == 3


def test_dismissing_deletes_what_was_put_aside(ada, bo, post, run_jobs):
    policy_update(ada, for_not_following="filter")
    post(bo, "@ada one")
    run_jobs()
    request = requests_for(ada)[0]
    request_dismiss(ada, request.pk)
    assert not Notification.objects.filter(recipient=ada).exists()
    assert requests_for(ada) == []
    post(bo, "@ada two")
    run_jobs()
    assert _held(ada) == [("mention", "bo")]  # a new request: not accepted
    assert len(requests_for(ada)) == 1


def test_another_teachers_request_is_not_found(ada, bo, cy, post, run_jobs):
    post(bo, "@ada secret", visibility=Visibility.DIRECT)
    run_jobs()
    request = NotificationRequest.objects.get(recipient=ada)
    for attempt in (request_get, request_accept, request_dismiss):
        with pytest.raises(NotFound):
            attempt(cy, request.pk)
    assert requests_accept(cy, [str(request.pk)]) == 0
    assert _held(ada) == [("mention", "bo")]


def test_blocks_and_mutes_still_win(ada, bo, cy, post, run_jobs):
    post(bo, "@ada one", visibility=Visibility.DIRECT)
    run_jobs()
    assert len(requests_for(ada)) == 1
    block_create(actor=ada, target=bo)
    assert requests_for(ada) == []
    assert policy_summary(ada).pending_requests_count == 0
    mute_create(actor=ada, target=cy, notifications=True)
    post(cy, "@ada two", visibility=Visibility.DIRECT)
    run_jobs()
    assert not Notification.objects.filter(recipient=ada, account=cy).exists()


def test_unknown_policy_values_change_nothing(ada):
    with pytest.raises(ValidationFailed):
        policy_update(ada, for_not_following="filter", for_new_accounts="maybe")
    with pytest.raises(ValidationFailed):
        policy_update(ada, for_everyone="drop")
    assert policy_of(ada).for_not_following == "accept"


def test_include_filtered_reads_them_too(ada, bo, post, run_jobs):
    post(bo, "@ada hidden", visibility=Visibility.DIRECT)
    run_jobs()
    assert notifications_for(ada) == []
    assert [n.kind for n in notifications_for(ada, include_filtered=True)] == ["mention"]


def test_account_deletion_removes_requests_both_ways(ada, bo, post, run_jobs):
    post(bo, "@ada hi", visibility=Visibility.DIRECT)
    post(ada, "@bo hi", visibility=Visibility.DIRECT)
    run_jobs()
    assert NotificationRequest.objects.count() == 2
    part = next(part for part in deletion_parts() if part.name == "notifications")
    part.func(bo.user)
    part.func(bo.user)  # idempotent
    assert not NotificationRequest.objects.exists()
    assert not Notification.objects.filter(recipient=bo).exists()
    assert not Notification.objects.filter(account=bo).exists()


def test_accepted_notifications_are_not_emailed_afterwards(ada, bo, post, run_jobs):
    post(bo, "@ada psst", visibility=Visibility.DIRECT)
    run_jobs()
    request_accept(ada, requests_for(ada)[0].pk)
    assert _listed(ada) == [("mention", "bo")]
    assert not email._pending(timezone.now()).filter(recipient=ada).exists()
