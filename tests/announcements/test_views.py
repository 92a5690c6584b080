"""The administrators' announcement page and the home page banner."""

from __future__ import annotations

import pytest

from staffroom.announcements.models import Announcement, AnnouncementRead
from staffroom.announcements.services import announcement_create

pytestmark = pytest.mark.django_db


def _onboarded(client):
    session = client.session
    session["onboarding_offered"] = True
    session.save()
    return client


def test_the_page_is_for_administrators_only(client_for, user, moderator):
    for who in (user, moderator):
        client = client_for(who)
        assert client.get("/moderation/announcements").status_code == 403
        assert client.post("/moderation/announcements", {"text": "mine"}).status_code == 403
    assert not Announcement.objects.exists()


def test_an_administrator_publishes_edits_unpublishes_and_deletes(client_for, admin):
    client = client_for(admin)
    page = client.get("/moderation/announcements")
    assert page.status_code == 200
    assert "No announcements yet" in page.content.decode()
    response = client.post(
        "/moderation/announcements", {"text": "Staff meeting *Monday*", "publish": "on"}
    )
    assert response.status_code == 302
    item = Announcement.objects.get()
    assert item.published_at is not None
    assert item.content == "<p>Staff meeting <em>Monday</em></p>"
    response = client.post(f"/moderation/announcements/{item.pk}/edit", {"text": "Tuesday"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.text == "Tuesday"
    client.post(f"/moderation/announcements/{item.pk}/unpublish")
    item.refresh_from_db()
    assert item.published_at is None
    client.post(f"/moderation/announcements/{item.pk}/delete")
    assert not Announcement.objects.exists()


def test_bad_input_shows_the_form_again(client_for, admin):
    client = client_for(admin)
    assert client.post("/moderation/announcements", {"text": ""}).status_code == 422
    response = client.post(
        "/moderation/announcements", {"text": "x", "starts_at": "2030-01-02T10:00"}
    )
    assert response.status_code == 422
    assert "both the start and the end" in response.content.decode()
    assert client.get("/moderation/announcements/999/edit").status_code == 404
    assert not Announcement.objects.exists()


def test_the_home_page_shows_unread_announcements_and_dismiss_hides_them(client_for, admin, user):
    item = announcement_create(actor=admin, text="Welcome back <script>alert(1)</script>")
    client = _onboarded(client_for(user))
    page = client.get("/home").content.decode()
    assert 'id="announcement-' in page
    assert "<script>alert(1)" not in page
    response = client.post(f"/announcements/{item.pk}/dismiss", {"next": "/home"})
    assert response.status_code == 302
    assert response["Location"] == "/home"
    assert AnnouncementRead.objects.filter(announcement=item).count() == 1
    assert 'id="announcement-' not in client.get("/home").content.decode()


def test_dismiss_refuses_unknown_ids_and_foreign_redirects(client_for, admin, user):
    """SECURITY-PLAN A-10."""
    item = announcement_create(actor=admin, text="hi")
    client = client_for(user)
    assert client.post("/announcements/999999/dismiss").status_code == 404
    assert client.post("/announcements/abc/dismiss").status_code == 404
    response = client.post(f"/announcements/{item.pk}/dismiss", {"next": "https://evil.example/"})
    assert response["Location"] == "/home"
