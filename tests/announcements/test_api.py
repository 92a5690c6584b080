"""Mastodon's announcement routes: shape, reads, reactions, scopes and bad input; and the
services behind them (who may publish, what is in force)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from staffroom.announcements.models import Announcement, AnnouncementReaction, AnnouncementRead
from staffroom.announcements.services import (
    announcement_create,
    announcement_delete,
    announcement_publish,
    announcement_reaction_add,
    announcement_update,
    is_unicode_emoji,
)
from staffroom.core.exceptions import PermissionDenied, ValidationFailed
from staffroom.emojis.services import custom_emoji_create
from tests.emojis.images import upload
from tests.graph.test_api_helpers import bearer, call

pytestmark = pytest.mark.django_db

KEYS = {
    "id",
    "content",
    "starts_at",
    "ends_at",
    "all_day",
    "published_at",
    "updated_at",
    "read",
    "mentions",
    "statuses",
    "tags",
    "emojis",
    "reactions",
}


@pytest.fixture
def news(admin):
    return announcement_create(actor=admin, text="The server is **down** on Saturday.")


def test_the_list_has_mastodons_shape(client, ada, news):
    response = client.get("/api/v1/announcements", **bearer(ada))
    assert response.status_code == 200
    (item,) = response.json()
    assert set(item) == KEYS
    assert item["id"] == str(news.pk)
    assert item["content"] == "<p>The server is <strong>down</strong> on Saturday.</p>"
    assert item["read"] is False
    assert item["reactions"] == []
    assert item["starts_at"] is None
    assert item["published_at"].endswith("Z")


def test_drafts_and_ended_events_are_not_listed(client, admin, ada, news):
    announcement_create(actor=admin, text="draft", publish=False)
    now = timezone.now()
    announcement_create(
        actor=admin, text="over", starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=1)
    )
    coming = announcement_create(
        actor=admin,
        text="coming",
        starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=2),
    )
    ids = [item["id"] for item in client.get("/api/v1/announcements", **bearer(ada)).json()]
    assert ids == [str(news.pk), str(coming.pk)]


def test_dismiss_marks_it_read_for_that_teacher_only(client, ada, bo, news):
    response = call(client, "POST", f"/api/v1/announcements/{news.pk}/dismiss", bearer(ada))
    assert (response.status_code, response.json()) == (200, {})
    call(client, "POST", f"/api/v1/announcements/{news.pk}/dismiss", bearer(ada))
    assert AnnouncementRead.objects.count() == 1
    assert client.get("/api/v1/announcements", **bearer(ada)).json()[0]["read"] is True
    assert client.get("/api/v1/announcements", **bearer(bo)).json()[0]["read"] is False


@pytest.mark.parametrize("bad_id", ["999999", "abc", "-1"])
def test_dismissing_an_unknown_announcement_is_404(client, ada, bad_id):
    response = call(client, "POST", f"/api/v1/announcements/{bad_id}/dismiss", bearer(ada))
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}


def test_a_draft_cannot_be_dismissed_or_reacted_to(client, admin, ada):
    draft = announcement_create(actor=admin, text="draft", publish=False)
    assert (
        call(client, "POST", f"/api/v1/announcements/{draft.pk}/dismiss", bearer(ada)).status_code
        == 404
    )
    assert (
        call(
            client, "PUT", f"/api/v1/announcements/{draft.pk}/reactions/👍", bearer(ada)
        ).status_code
        == 404
    )


def test_reactions_count_and_me(client, ada, bo, news):
    for who in (ada, bo):
        response = call(client, "PUT", f"/api/v1/announcements/{news.pk}/reactions/👍", bearer(who))
        assert (response.status_code, response.json()) == (200, {})
    call(client, "PUT", f"/api/v1/announcements/{news.pk}/reactions/👍", bearer(ada))
    call(client, "PUT", f"/api/v1/announcements/{news.pk}/reactions/🎉", bearer(bo))
    reactions = client.get("/api/v1/announcements", **bearer(ada)).json()[0]["reactions"]
    assert reactions == [
        {"name": "👍", "count": 2, "me": True},
        {"name": "🎉", "count": 1, "me": False},
    ]
    response = call(client, "DELETE", f"/api/v1/announcements/{news.pk}/reactions/👍", bearer(ada))
    assert (response.status_code, response.json()) == (200, {})
    again = call(client, "DELETE", f"/api/v1/announcements/{news.pk}/reactions/👍", bearer(ada))
    assert again.status_code == 404
    reactions = client.get("/api/v1/announcements", **bearer(ada)).json()[0]["reactions"]
    assert reactions[0] == {"name": "👍", "count": 1, "me": False}


def test_a_custom_emoji_reaction_has_its_urls(client, admin, ada, news, run_jobs):
    custom_emoji_create(actor=admin, shortcode="blobteacher", image=upload())
    run_jobs()
    response = call(
        client, "PUT", f"/api/v1/announcements/{news.pk}/reactions/blobteacher", bearer(ada)
    )
    assert response.status_code == 200
    (reaction,) = client.get("/api/v1/announcements", **bearer(ada)).json()[0]["reactions"]
    assert reaction["name"] == "blobteacher"
    assert reaction["url"].startswith("http")
    assert reaction["static_url"] == reaction["url"]


@pytest.mark.parametrize("name", ["nope", "abc", "%3Cscript%3E", "👍x", "12", ":missing:"])
def test_unknown_reactions_are_422(client, ada, news, name):
    response = call(client, "PUT", f"/api/v1/announcements/{news.pk}/reactions/{name}", bearer(ada))
    assert response.status_code == 422
    assert response.json()["error"].startswith("Validation failed")
    assert not AnnouncementReaction.objects.exists()


def test_at_most_eight_reactions_per_teacher(ada, news):
    for emoji in "😀😁😂🤣😃😄😅😆":
        announcement_reaction_add(account=ada, announcement_id=news.pk, name=emoji)
    with pytest.raises(ValidationFailed):
        announcement_reaction_add(account=ada, announcement_id=news.pk, name="😉")


def test_unicode_emoji_recognition():
    for good in ["👍", "❤️", "👩‍🏫", "👍🏽", "1️⃣", "🇫🇷"]:
        assert is_unicode_emoji(good), good
    for bad in ["", "a", "1", "👍 ", "<b>", "👍a", "x" * 20]:
        assert not is_unicode_emoji(bad), bad


def test_scopes(client, ada, news):
    assert client.get("/api/v1/announcements").status_code == 401
    assert client.get("/api/v1/announcements", **bearer(ada, "write")).status_code == 403
    read_only = bearer(ada, "read")
    assert (
        call(client, "POST", f"/api/v1/announcements/{news.pk}/dismiss", read_only).status_code
        == 403
    )
    assert (
        call(client, "PUT", f"/api/v1/announcements/{news.pk}/reactions/👍", read_only).status_code
        == 403
    )
    assert (
        call(
            client,
            "POST",
            f"/api/v1/announcements/{news.pk}/dismiss",
            bearer(ada, "write:accounts"),
        ).status_code
        == 200
    )
    assert (
        call(
            client,
            "PUT",
            f"/api/v1/announcements/{news.pk}/reactions/👍",
            bearer(ada, "write:favourites"),
        ).status_code
        == 200
    )


def test_only_administrators_publish(user, moderator, admin, news):
    for actor in (user, moderator):
        with pytest.raises(PermissionDenied):
            announcement_create(actor=actor, text="mine")
        with pytest.raises(PermissionDenied):
            announcement_update(actor=actor, announcement_id=news.pk, text="changed")
        with pytest.raises(PermissionDenied):
            announcement_delete(actor=actor, announcement_id=news.pk)
    assert Announcement.objects.count() == 1


def test_bad_times_and_text_are_refused(admin):
    now = timezone.now()
    with pytest.raises(ValidationFailed):
        announcement_create(actor=admin, text="  ")
    with pytest.raises(ValidationFailed):
        announcement_create(actor=admin, text="x", starts_at=now)
    with pytest.raises(ValidationFailed):
        announcement_create(actor=admin, text="x", starts_at=now, ends_at=now - timedelta(hours=1))
    assert not Announcement.objects.exists()


def test_unpublish_and_delete_take_it_away(client, admin, ada, news):
    announcement_reaction_add(account=ada, announcement_id=news.pk, name="👍")
    announcement_publish(actor=admin, announcement_id=news.pk, publish=False)
    assert client.get("/api/v1/announcements", **bearer(ada)).json() == []
    announcement_publish(actor=admin, announcement_id=news.pk, publish=True)
    assert len(client.get("/api/v1/announcements", **bearer(ada)).json()) == 1
    announcement_delete(actor=admin, announcement_id=news.pk)
    assert not AnnouncementReaction.objects.exists()
    assert client.get("/api/v1/announcements", **bearer(ada)).json() == []


def test_script_in_the_text_stays_inert(client, admin, ada):
    announcement_create(
        actor=admin, text="<script>alert(1)</script> <img src=x onerror=alert(1)> **ok**"
    )
    content = client.get("/api/v1/announcements", **bearer(ada)).json()[0]["content"]
    assert "<script" not in content
    assert "<img" not in content
    assert "&lt;script&gt;" in content


def test_the_list_costs_a_constant_number_of_queries(
    client, admin, ada, bo, django_assert_max_num_queries
):
    headers = bearer(ada)
    for number in range(4):
        item = announcement_create(actor=admin, text=f"news {number}")
        announcement_reaction_add(account=bo, announcement_id=item.pk, name="👍")
    client.get("/api/v1/announcements", **headers)
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/v1/announcements", **headers).json()) == 4
