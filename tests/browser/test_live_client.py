"""The page's side of live updates, against a stream Playwright answers in the server's
place (pytest-django's WSGI live server cannot hold one open; tests/browser/test_live.py
runs the real one): a `delete` event takes the post off the page, and a stream that is
refused leaves the page polling as before, the notifications list included."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Route, expect

from staffroom.posts.services import PostText, status_create
from tests.browser.conftest import check_accessibility
from tests.factories import make_post, make_user

pytestmark = pytest.mark.browser

STREAM_PATH = "/api/v1/streaming/user"
# A retry far away: the browser does not come back for more within the test.
NO_RETRY = "retry: 600000\n\n"


@pytest.fixture
def streaming(settings):
    """Signed-in pages name the stream, as outside the test settings."""
    settings.STAFFROOM_WEB_STREAM_PATH = STREAM_PATH


def test_a_delete_event_takes_the_post_off_the_page(page, sign_in, streaming):
    ada = make_user(handle="ada").profile
    bo = make_user(handle="bo", display_name="Bo Diddley").profile
    gone = make_post(bo, "Old news about the timetable")
    kept = make_post(bo, "Still true: the fair is on Friday")
    waiting: list[Route] = []
    # Held unanswered until the page is drawn.
    page.route(f"**{STREAM_PATH}", lambda route: waiting.append(route))

    sign_in(ada.user)
    page.goto("/local")
    expect(page.locator(f"#post-{gone.pk}")).to_be_visible()
    for _ in range(200):  # the page asked for its stream on load: at most 10 s more
        if waiting:
            break
        page.wait_for_timeout(50)  # lets Playwright deliver the request to the handler
    assert len(waiting) == 1, "the page did not open its stream"
    waiting[0].fulfill(
        status=200,
        headers={"Content-Type": "text/event-stream"},
        body=f"{NO_RETRY}:)\n\nevent: delete\ndata: {gone.pk}\n\n",
    )

    expect(page.locator(f"#post-{gone.pk}")).to_have_count(0)
    expect(page.locator(f"#post-{kept.pk}")).to_be_visible()
    check_accessibility(page, "local feed after a live deletion")


def test_a_refused_stream_leaves_the_page_polling(page, sign_in, streaming, run_jobs):
    ada = make_user(handle="ada").profile
    bo = make_user(handle="bo", display_name="Bo Diddley").profile
    lesson = make_post(ada, "Fractions with pizza slices")
    page.route(
        f"**{STREAM_PATH}",
        lambda route: route.fulfill(
            status=401,
            content_type="application/json",
            body=json.dumps({"error": "This method requires an authenticated user"}),
        ),
    )
    page.clock.install()
    sign_in(ada.user)
    page.goto("/notifications")
    expect(page.get_by_text("No notifications yet.")).to_be_visible()

    status_create(author=bo, draft=PostText(text="Trying this tomorrow!"), in_reply_to=lesson)
    run_jobs()
    page.clock.fast_forward("00:31")

    entries = page.locator("#notification-list")
    expect(entries.get_by_text("Bo Diddley replied to your post")).to_be_visible()
    expect(page.locator(".notifications-live")).to_contain_text("1 new notification")
    expect(page.get_by_text("No notifications yet.")).to_have_count(0)
    check_accessibility(page, "notifications polled in without a stream")
