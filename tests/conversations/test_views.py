"""The Conversations page through the views: the list (participants, excerpt, unread
marker, empty state, paging), opening one (marks it read, shows the thread), deleting one
for oneself (never another teacher's), sign-in and CSRF."""

from __future__ import annotations

import pytest
from django.test import Client

from staffroom.conversations.models import Conversation
from staffroom.profiles.models import Profile
from tests.factories import make_post, make_profiles

pytestmark = pytest.mark.django_db

BACKEND = "staffroom.accounts.backends.EmailOrHandleBackend"


def _client(profile: Profile, *, csrf: bool = False) -> Client:
    assert profile.user is not None
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(profile.user, backend=BACKEND)
    return client


def _row(owner: Profile, status) -> Conversation:
    return Conversation.objects.get(owner=owner, thread_id=status.thread_id)


def test_the_list_shows_people_excerpt_and_unread_marker(ada, bo, cy, post):
    post(ada, "@bo @cy Can I borrow your fractions slides?", visibility="direct")
    page = _client(bo).get("/conversations").content.decode()
    assert "Can I borrow your fractions slides?" in page
    assert "@ada" in page
    assert "@cy" in page
    assert "Unread" in page
    assert "Delete for me" in page
    mine = _client(ada).get("/conversations").content.decode()
    assert "You:" in mine
    assert "Unread" not in mine


def test_the_empty_state(ada):
    page = _client(ada).get("/conversations").content.decode()
    assert 'id="conversations-empty"' in page
    assert "No conversations yet" in page


def test_a_content_warning_hides_the_text_in_the_excerpt(ada, bo, post):
    post(ada, "@bo the details", visibility="direct", spoiler_text="Staffing news")
    page = _client(bo).get("/conversations").content.decode()
    assert "Staffing news" in page
    assert "the details" not in page


def test_a_stranger_sees_nothing_of_it(ada, bo, cy, post):
    post(ada, "@bo just between us", visibility="direct")
    page = _client(cy).get("/conversations").content.decode()
    assert "just between us" not in page


def test_opening_marks_read_and_shows_the_thread(ada, bo, post):
    first = post(ada, "@bo first", visibility="direct")
    reply = post(ada, "@bo second", visibility="direct", in_reply_to=first)
    row = _row(bo, first)
    response = _client(bo).get(f"/conversations/{row.pk}")
    assert response.status_code == 302
    assert response["Location"] == f"/@ada/{reply.pk}#post-{reply.pk}"
    assert _row(bo, first).is_unread is False
    thread = _client(bo).get(response["Location"]).content.decode()
    assert "first" in thread
    assert "second" in thread


def test_another_teachers_conversation_is_404(ada, bo, cy, post):
    status = post(ada, "@bo hello", visibility="direct")
    row = _row(bo, status)
    stranger = _client(cy)
    assert stranger.get(f"/conversations/{row.pk}").status_code == 404
    assert stranger.post(f"/conversations/{row.pk}/delete").status_code == 404
    assert stranger.get("/conversations/junk").status_code == 404
    assert _row(bo, status).is_unread is True


def test_delete_for_me_keeps_the_others_row(ada, bo, post):
    status = post(ada, "@bo hello", visibility="direct")
    client = _client(bo)
    response = client.post(f"/conversations/{_row(bo, status).pk}/delete")
    assert response.status_code == 302
    assert not Conversation.objects.filter(owner=bo).exists()
    assert Conversation.objects.filter(owner=ada).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Conversation removed from your list" in page


def test_delete_with_htmx_answers_the_entry(ada, bo, post):
    status = post(ada, "@bo hello", visibility="direct")
    row = _row(bo, status)
    client = _client(bo)
    response = client.post(f"/conversations/{row.pk}/delete", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Conversation removed" in response.content.decode()
    again = client.post(f"/conversations/{row.pk}/delete", HTTP_HX_REQUEST="true")
    assert again.status_code == 404
    assert "removed already" in again.content.decode()


def test_delete_needs_csrf_and_a_post(ada, bo, post):
    status = post(ada, "@bo hello", visibility="direct")
    row = _row(bo, status)
    assert _client(bo, csrf=True).post(f"/conversations/{row.pk}/delete").status_code == 403
    assert _client(bo).get(f"/conversations/{row.pk}/delete").status_code == 405
    assert Conversation.objects.filter(owner=bo).exists()


def test_signed_out_goes_to_sign_in(client):
    response = client.get("/conversations")
    assert response.status_code == 302
    assert "/login" in response["Location"] or "next=" in response["Location"]


def test_pages_of_conversations(ada):
    for other in make_profiles(22, "colleague"):
        make_post(ada, f"@{other.handle} hi", visibility="direct")
    client = _client(ada)
    first = client.get("/conversations").content.decode()
    assert first.count('class="conversation card') == 20
    assert 'rel="next"' in first


def test_the_nav_links_to_conversations(ada):
    page = _client(ada).get("/conversations").content.decode()
    assert 'href="/conversations"' in page
