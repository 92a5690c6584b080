"""Muting a conversation (`/api/v1/statuses/:id/mute`, `/unmute`, the thread page's button):
the Status's `muted`, and that no notification about the thread's posts is written while
it is muted (Mastodon skips them), for the person who muted it only."""

from __future__ import annotations

import pytest

from staffroom.notifications.models import Notification
from staffroom.posts.models import ConversationMute
from staffroom.posts.services import conversation_mute, favourite_create, reblog_create
from tests.graph.test_api_helpers import bearer, call

pytestmark = pytest.mark.django_db


def _mute(client, actor, status_id, action="mute", scopes="read write"):
    return call(client, "POST", f"/api/v1/statuses/{status_id}/{action}", bearer(actor, scopes))


def test_mute_answers_the_status_with_muted_and_unmute_undoes_it(client, ada, post):
    status = post(ada, "Exit tickets?")
    response = _mute(client, ada, status.pk)
    assert response.status_code == 200, response.content
    assert response.json()["id"] == str(status.pk)
    assert response.json()["muted"] is True
    assert ConversationMute.objects.filter(account=ada, thread_id=status.thread_id).exists()
    seen = client.get(f"/api/v1/statuses/{status.pk}", **bearer(ada, "read"))
    assert seen.json()["muted"] is True
    again = _mute(client, ada, status.pk)
    assert again.json()["muted"] is True
    undone = _mute(client, ada, status.pk, "unmute")
    assert undone.status_code == 200
    assert undone.json()["muted"] is False
    assert not ConversationMute.objects.exists()


def test_muting_a_reply_mutes_the_whole_thread(client, ada, bo, post):
    root = post(ada, "Root")
    reply = post(bo, "A reply", in_reply_to=root)
    assert _mute(client, ada, reply.pk).json()["muted"] is True
    root_entity = client.get(f"/api/v1/statuses/{root.pk}", **bearer(ada, "read")).json()
    assert root_entity["muted"] is True
    other = client.get(f"/api/v1/statuses/{root.pk}", **bearer(bo, "read")).json()
    assert other["muted"] is False


def test_mute_needs_write_mutes_and_a_visible_post(client, ada, bo, post):
    status = post(bo, "Followers only", visibility="followers")
    assert _mute(client, ada, status.pk).status_code == 404
    assert _mute(client, ada, status.pk).json() == {"error": "Record not found"}
    assert _mute(client, ada, "987654321").status_code == 404
    mine = post(ada, "Mine")
    assert _mute(client, ada, mine.pk, scopes="read").status_code == 403
    assert client.post(f"/api/v1/statuses/{mine.pk}/mute").status_code == 401
    assert not ConversationMute.objects.exists()


def test_a_muted_thread_writes_no_notifications_for_its_muter(ada, bo, cy, post, run_jobs):
    root = post(ada, "Our school garden")
    conversation_mute(actor=ada, status=root)
    favourite_create(actor=bo, status=root)
    reblog_create(actor=bo, status=root)
    reply = post(bo, "Love it @cy", in_reply_to=root)
    post(cy, "Me too", in_reply_to=reply)
    run_jobs()
    assert not Notification.objects.filter(recipient=ada).exists()
    # Others in the thread are still told: the mute is Ada's own.
    assert Notification.objects.filter(recipient=bo, account=cy).exists()
    assert Notification.objects.filter(recipient=cy, account=bo).exists()


def test_after_unmuting_notifications_come_again(client, ada, bo, post, run_jobs):
    root = post(ada, "Phonics")
    _mute(client, ada, root.pk)
    _mute(client, ada, root.pk, "unmute")
    favourite_create(actor=bo, status=root)
    run_jobs()
    assert Notification.objects.filter(recipient=ada, kind="favourite").exists()


def test_thread_page_mute_conversation_button(client_for, ada, bo, post, run_jobs):
    root = post(ada, "Reading corners")
    signed_in = client_for(ada.user)
    page = signed_in.get(f"/@{ada.handle}/{root.pk}").content.decode()
    assert "Mute conversation" in page
    response = signed_in.post(
        f"/posts/{root.pk}/mute-conversation", {"next": f"/@{ada.handle}/{root.pk}"}
    )
    assert response.status_code == 302
    assert "Unmute conversation" in signed_in.get(f"/@{ada.handle}/{root.pk}").content.decode()
    favourite_create(actor=bo, status=root)
    run_jobs()
    assert not Notification.objects.filter(recipient=ada).exists()
    signed_in.post(f"/posts/{root.pk}/unmute-conversation")
    assert not ConversationMute.objects.exists()


def test_thread_page_has_no_mute_button_for_visitors(client, ada, post):
    root = post(ada, "Public")
    assert "Mute conversation" not in client.get(f"/@{ada.handle}/{root.pk}").content.decode()
