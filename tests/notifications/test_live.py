"""The notifications page's live part: the first page carries the element that fetches the
entries newer than the newest shown (when the stream says a notification arrived, or every
30 s), and `/notifications/newer` answers with those entries, never another teacher's, and
moves the read position as reloading the page would."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from staffroom.graph.services import follow_create
from staffroom.notifications.models import Notification
from staffroom.notifications.selectors import read_position
from staffroom.profiles.models import Profile

pytestmark = pytest.mark.django_db

BACKEND = "staffroom.accounts.backends.EmailOrHandleBackend"
HTMX = {"HX-Request": "true"}


def _client(profile: Profile) -> Client:
    assert profile.user is not None
    client = Client()
    client.force_login(profile.user, backend=BACKEND)
    return client


def _live_url(page: str) -> str:
    found = re.search(r'class="notifications-live-poll" hx-get="([^"]+)"', page)
    assert found, "the first page has no live part"
    return found.group(1).replace("&amp;", "&")


def _newest(profile: Profile) -> int:
    return (
        Notification.objects.filter(recipient=profile)
        .order_by("-pk")
        .values_list("pk", flat=True)[0]
    )


def test_the_first_page_asks_from_its_newest_entry(ada, bo, post, run_jobs):
    status = post(ada, "Fractions with pizza slices")
    post(bo, "Trying this tomorrow!", in_reply_to=status)
    run_jobs()
    page = _client(ada).get("/notifications").content.decode()
    assert _live_url(page) == f"/notifications/newer?since_id={_newest(ada)}"
    assert 'hx-trigger="every 30s, sr:notification from:body"' in page
    assert 'id="notification-list"' in page


def test_an_older_page_has_no_live_part(ada):
    page = _client(ada).get("/notifications?max_id=999999").content.decode()
    assert "notifications-live-poll" not in page


def test_a_filtered_page_asks_for_its_kinds_only(ada, bo, post, run_jobs):
    follow_create(actor=bo, target=ada)
    run_jobs()
    page = _client(ada).get("/notifications?filter=mentions").content.decode()
    url = _live_url(page)
    assert url == "/notifications/newer?since_id=0&filter=mentions"
    # The follow is not a mention: nothing new for this list.
    assert _client(ada).get(url, headers=HTMX).status_code == 204


def test_a_new_reply_comes_as_an_entry_at_the_top_of_the_list(ada, bo, post, run_jobs):
    status = post(ada, "Fractions with pizza slices")
    client = _client(ada)
    page = client.get("/notifications").content.decode()
    assert 'id="notifications-empty"' in page
    post(bo, "Trying this tomorrow!", in_reply_to=status)
    run_jobs()

    response = client.get(_live_url(page), headers=HTMX)

    assert response.status_code == 200
    fragment = response.content.decode()
    assert 'hx-swap-oob="afterbegin:#notification-list"' in fragment
    assert "bo replied to your post" in fragment
    assert "Trying this tomorrow!" in fragment
    assert "1 new notification at the top of the list" in fragment
    # The page was drawn empty: its "no notifications" line goes.
    assert '<p id="notifications-empty" hx-swap-oob="delete">' in fragment
    # The next ask starts from the new entry, which is now read.
    assert _live_url(fragment) == f"/notifications/newer?since_id={_newest(ada)}"
    assert read_position(ada) == _newest(ada)
    assert client.get(_live_url(fragment), headers=HTMX).status_code == 204


def test_nothing_new_is_a_204(ada, bo, post, run_jobs):
    post(bo, "Hello @ada")
    run_jobs()
    response = _client(ada).get(f"/notifications/newer?since_id={_newest(ada)}", headers=HTMX)
    assert response.status_code == 204


def test_a_filtered_list_leaves_the_read_position_alone(ada, bo, post, run_jobs):
    post(bo, "Hello @ada")
    run_jobs()
    response = _client(ada).get("/notifications/newer?filter=mentions", headers=HTMX)
    assert response.status_code == 200
    assert "bo mentioned you" in response.content.decode()
    assert read_position(ada) == 0


def test_a_teacher_never_gets_another_teachers_notifications(ada, bo, cy, post, run_jobs):
    post(cy, "Hello @bo")
    run_jobs()
    assert Notification.objects.filter(recipient=bo).exists()
    response = _client(ada).get("/notifications/newer?since_id=0", headers=HTMX)
    assert response.status_code == 204
    assert read_position(bo) == 0


def test_signed_out_the_poll_is_left_alone_and_the_address_asks_to_sign_in(db):
    assert Client().get("/notifications/newer", headers=HTMX).status_code == 204
    response = Client().get("/notifications/newer?since_id=3")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login?next=")


def test_without_htmx_the_address_is_the_page(ada):
    response = _client(ada).get("/notifications/newer?since_id=0")
    assert response.status_code == 302
    assert response["Location"] == "/notifications"


def test_only_get(ada):
    assert _client(ada).post("/notifications/newer", headers=HTMX).status_code == 405


@override_settings(STAFFROOM_WEB_STREAM_PATH="/api/v1/streaming/user")
def test_the_badge_and_the_feed_listen_to_the_stream(ada):
    ada.onboarded_at = timezone.now()
    ada.save(update_fields=["onboarded_at"])
    page = _client(ada).get("/home").content.decode()
    assert 'hx-trigger="load, every 30s, sr:badge from:body"' in page
    assert 'data-stream-url="/api/v1/streaming/user"' in page
    assert 'hx-trigger="every 30s, sr:update from:body"' in page


@override_settings(STAFFROOM_WEB_STREAM_PATH="/api/v1/streaming/user")
def test_a_signed_out_page_opens_no_stream(db):
    assert "data-stream-url" not in Client().get("/about").content.decode()
