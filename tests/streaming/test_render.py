"""Rendering: each viewer's payload is exactly the REST entity that viewer would get."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from staffroom.graph.services import block_create, follow_create, mute_create
from staffroom.notifications.models import Notification
from staffroom.notifications.services import notification_dismiss
from staffroom.posts.removal import status_remove
from staffroom.posts.services import bookmark_create, favourite_create, reblog_create, status_pin
from staffroom.profiles.standing import profile_suspend
from staffroom.streaming.messages import DELETE, NOTIFICATION, UPDATE, StreamMessage
from staffroom.streaming.render import render_payloads
from tests.factories import make_post, make_profiles
from tests.graph.test_api_helpers import bearer

pytestmark = pytest.mark.django_db


def update(status_id: int) -> StreamMessage:
    return StreamMessage(event=UPDATE, keys=("public",), status_id=status_id)


def rest_status(client, status_id: int, viewer=None) -> dict[str, Any]:
    headers = bearer(viewer) if viewer is not None else {}
    response = client.get(f"/api/v1/statuses/{status_id}", **headers)
    assert response.status_code == 200
    return response.json()


def test_each_viewer_gets_the_rest_entity_of_a_public_post(client, ada, bo, stranger, run_jobs):
    follow_create(actor=bo, target=ada)
    status = make_post(ada, "Fractions with @bo #maths")
    favourite_create(actor=bo, status=status)
    bookmark_create(actor=bo, status=status)
    status_pin(actor=ada, status=status)
    run_jobs()
    payloads = render_payloads(update(status.pk), [ada.pk, bo.pk, stranger.pk, None])
    assert set(payloads) == {ada.pk, bo.pk, stranger.pk, None}
    for viewer in (ada, bo, stranger, None):
        expected = rest_status(client, status.pk, viewer)
        assert json.loads(payloads[None if viewer is None else viewer.pk]) == expected
    own = json.loads(payloads[ada.pk])
    assert own["pinned"] is True
    assert "goals" in own["account"]["pln"]
    assert "goals" not in json.loads(payloads[bo.pk])["account"]["pln"]
    assert json.loads(payloads[bo.pk])["favourited"] is True
    assert "favourited" not in json.loads(payloads[None])


def test_a_reshare_is_rendered_with_its_original(client, ada, bo, run_jobs):
    original = make_post(ada, "Original")
    reshare = reblog_create(actor=bo, status=original)
    run_jobs()
    payloads = render_payloads(update(reshare.pk), [ada.pk, None])
    assert json.loads(payloads[ada.pk]) == rest_status(client, reshare.pk, ada)
    assert json.loads(payloads[ada.pk])["reblog"]["id"] == str(original.pk)


def test_a_followers_only_post_reaches_only_its_audience(ada, bo, stranger, run_jobs):
    follow_create(actor=bo, target=ada)
    status = make_post(ada, "For my followers", visibility="followers")
    run_jobs()
    payloads = render_payloads(update(status.pk), [ada.pk, bo.pk, stranger.pk, None])
    assert set(payloads) == {ada.pk, bo.pk}


def test_a_direct_post_reaches_only_the_author_and_the_mentioned(ada, bo, stranger, run_jobs):
    """SECURITY-PLAN P-2."""
    status = make_post(ada, "@bo between us", visibility="direct")
    run_jobs()
    payloads = render_payloads(update(status.pk), [ada.pk, bo.pk, stranger.pk, None])
    assert set(payloads) == {ada.pk, bo.pk}


def test_blocks_and_mutes_leave_viewers_out(ada, bo, cy, stranger, run_jobs):
    readers = make_profiles(3, "reader")
    status = make_post(ada, "Hello @cy")
    run_jobs()
    block_create(actor=ada, target=bo)  # the author blocks a viewer
    mute_create(actor=stranger, target=ada)  # a viewer mutes the author
    block_create(actor=readers[0], target=cy)  # a viewer blocks someone mentioned
    mute_create(actor=readers[1], target=cy)  # a viewer mutes someone mentioned
    mute_create(actor=readers[2], target=bo)  # unrelated to the post
    viewers = [ada.pk, bo.pk, cy.pk, stranger.pk, *(reader.pk for reader in readers)]
    payloads = render_payloads(update(status.pk), viewers)
    assert set(payloads) == {ada.pk, cy.pk, readers[2].pk}


def test_a_mute_that_expired_no_longer_leaves_the_viewer_out(ada, bo, run_jobs, time_machine):
    status = make_post(ada, "Hello")
    mute_create(actor=bo, target=ada, duration=60)
    run_jobs()
    assert bo.pk not in render_payloads(update(status.pk), [bo.pk])
    time_machine.move_to(timezone.now() + timedelta(seconds=120))
    assert bo.pk in render_payloads(update(status.pk), [bo.pk])


def test_a_removed_or_gone_post_or_a_suspended_author_renders_nothing(ada, bo, run_jobs):
    removed = make_post(ada, "Against the rules")
    kept = make_post(bo, "Fine")
    run_jobs()
    status_remove(status=removed)
    assert render_payloads(update(removed.pk), [ada.pk, bo.pk, None]) == {}
    assert render_payloads(update(123456789), [ada.pk, None]) == {}
    profile_suspend(profile=bo)
    assert render_payloads(update(kept.pk), [ada.pk, None]) == {}


def test_a_delete_is_its_id_for_everyone(ada):
    message = StreamMessage(event=DELETE, keys=("public",), status_id=5, payload="5")
    assert render_payloads(message, [ada.pk, None]) == {ada.pk: "5", None: "5"}


def test_a_notification_is_the_rest_entity_for_its_recipient_only(client, ada, bo, run_jobs):
    status = make_post(ada, "Favourite me")
    favourite_create(actor=bo, status=status)
    run_jobs()
    notification = Notification.objects.get(recipient=ada, kind="favourite")
    message = StreamMessage(
        event=NOTIFICATION, keys=(f"notification:{ada.pk}",), notification_id=notification.pk
    )
    payloads = render_payloads(message, [ada.pk, bo.pk, None])
    assert set(payloads) == {ada.pk}
    listed = client.get("/api/v1/notifications", **bearer(ada)).json()
    (expected,) = [entity for entity in listed if entity["id"] == str(notification.pk)]
    assert json.loads(payloads[ada.pk]) == expected
    assert expected["group_key"]
    assert "goals" in expected["status"]["account"]["pln"]  # the recipient's own post

    block_create(actor=ada, target=bo)
    assert render_payloads(message, [ada.pk]) == {}


def test_a_dismissed_notification_renders_nothing(ada, bo, run_jobs):
    follow_create(actor=bo, target=ada)
    run_jobs()
    notification = Notification.objects.get(recipient=ada)
    notification_dismiss(ada, notification.pk)
    message = StreamMessage(
        event=NOTIFICATION, keys=(f"notification:{ada.pk}",), notification_id=notification.pk
    )
    assert render_payloads(message, [ada.pk]) == {}


def test_rendering_for_fifty_viewers_costs_what_it_costs_for_five(
    ada, run_jobs, django_assert_max_num_queries
):
    viewers = make_profiles(50, "viewer")
    status = make_post(ada, "Hello @viewer1 #maths")
    for viewer in viewers[:10]:
        favourite_create(actor=viewer, status=status)
    run_jobs()
    five = [viewer.pk for viewer in viewers[:5]]
    with django_assert_max_num_queries(30) as few:
        render_payloads(update(status.pk), [*five, None])
    with django_assert_max_num_queries(len(few.captured_queries)):
        payloads = render_payloads(update(status.pk), [*(v.pk for v in viewers), None])
    assert len(payloads) == 51
