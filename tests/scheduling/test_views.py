"""Scheduling on the web: the composer's "Schedule for later" (in the teacher's time zone),
the Scheduled posts page (empty state, changing a time, cancelling) and its privacy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from staffroom.posts.models import Status, Visibility
from staffroom.posts.services import PostText
from staffroom.profiles.models import Profile
from staffroom.scheduling.models import ScheduledStatus
from staffroom.scheduling.services import scheduled_status_create

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def as_ada(client_for, ada):
    Profile.objects.filter(pk=ada.pk).update(timezone="Europe/Paris")  # UTC+1 in March
    return client_for(ada.user)


def compose(client, **fields):
    data = {"text": "Plan for Friday", "visibility": "public", "idempotency_key": "", **fields}
    return client.post("/compose", data)


def test_the_composer_offers_scheduling(as_ada):
    page = as_ada.get("/compose").content.decode()
    assert 'type="datetime-local"' in page
    assert "Schedule for later" in page


def test_scheduling_from_the_composer_reads_the_teachers_time_zone(as_ada, ada):
    response = compose(as_ada, scheduled_at="2026-03-02T11:30", visibility="followers")
    assert response.status_code == 302
    assert response["Location"] == "/scheduled"
    row = ScheduledStatus.objects.get(account=ada)
    assert row.scheduled_at == datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
    assert row.params["visibility"] == Visibility.FOLLOWERS
    assert not Status.objects.exists()
    page = as_ada.get("/scheduled").content.decode()
    assert "Your post is scheduled for" in page
    assert "Plan for Friday" in page


def test_a_time_too_soon_re_renders_the_composer_with_the_reason(as_ada, ada):
    response = compose(as_ada, scheduled_at="2026-03-02T10:02")  # 09:02 UTC
    assert response.status_code == 422
    assert "at least 5 minutes in the future" in response.content.decode()
    assert "Plan for Friday" in response.content.decode()
    assert not ScheduledStatus.objects.exists()


def test_an_empty_schedule_publishes_now(as_ada, ada):
    response = compose(as_ada, scheduled_at="")
    assert response.status_code == 302
    assert Status.objects.filter(account=ada).count() == 1
    assert not ScheduledStatus.objects.exists()


def test_the_page_has_an_empty_state(as_ada):
    response = as_ada.get("/scheduled")
    assert response.status_code == 200
    assert "You have no scheduled posts" in response.content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get("/scheduled").status_code == 302


def _schedule(author, text="Mine", hours=2):
    return scheduled_status_create(
        author=author,
        scheduled_at=NOW + timedelta(hours=hours),
        draft=PostText(text=text),
        visibility="public",
    )


def test_the_page_lists_only_the_teachers_own_posts_next_first(as_ada, ada, bo):
    _schedule(ada, "Later one", hours=5)
    _schedule(ada, "Sooner one", hours=1)
    _schedule(bo, "Bo's secret plan")
    page = as_ada.get("/scheduled").content.decode()
    assert page.index("Sooner one") < page.index("Later one")
    assert "secret plan" not in page
    assert 'value="2026-03-02T11:00"' in page  # 10:00 UTC shown in Paris time


def test_changing_the_time(as_ada, ada):
    row = _schedule(ada)
    response = as_ada.post(f"/scheduled/{row.pk}/time", {"scheduled_at": "2026-03-04T08:15"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.scheduled_at == datetime(2026, 3, 4, 7, 15, tzinfo=UTC)


@pytest.mark.parametrize(("value", "words"), [("2026-03-02T10:01", "5 minutes"), ("soon", "")])
def test_a_refused_time_is_shown_beside_the_form(as_ada, ada, value, words):
    row = _schedule(ada)
    response = as_ada.post(f"/scheduled/{row.pk}/time", {"scheduled_at": value})
    assert response.status_code == 422
    assert words in response.content.decode()
    assert 'class="errorlist"' in response.content.decode()
    row.refresh_from_db()
    assert row.scheduled_at == NOW + timedelta(hours=2)


def test_cancelling(as_ada, ada):
    row = _schedule(ada)
    response = as_ada.post(f"/scheduled/{row.pk}/cancel")
    assert response.status_code == 302
    assert not ScheduledStatus.objects.exists()


def test_another_teachers_scheduled_post_is_a_404(as_ada, bo):
    row = _schedule(bo)
    assert as_ada.post(f"/scheduled/{row.pk}/cancel").status_code == 404
    later = {"scheduled_at": "2026-03-04T08:15"}
    assert as_ada.post(f"/scheduled/{row.pk}/time", later).status_code == 404
    assert as_ada.post("/scheduled/junk/cancel").status_code == 404
    assert ScheduledStatus.objects.get().scheduled_at == NOW + timedelta(hours=2)


def test_the_page_has_a_query_budget(as_ada, ada, django_assert_max_num_queries):
    for hours in range(1, 6):
        _schedule(ada, f"Post {hours}", hours=hours)
    as_ada.get("/scheduled")  # warm the session
    with django_assert_max_num_queries(12):
        response = as_ada.get("/scheduled")
    assert response.content.decode().count("Cancel this post") == 5
