"""Live updates in a real browser, over the teacher's stream: a reply to Amara comes into
her open notifications page, a new post of someone she follows shows in her home feed's
"new posts" link, and a deleted post leaves her page, each without a reload and sooner than
any poll would (the polls run every 30 s). Checked with axe once the new entry is in.

pytest-django's live server is WSGI and cannot hold a stream open, so these tests run
against the real ASGI `staffroom serve` of the contract tests, with a data folder and
accounts of their own; the other teacher acts through the Mastodon API, as an app would.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from mastodon import Mastodon
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import check_accessibility, screenshot
from tests.contract.conftest import (
    Account,
    ContractServer,
    register_app,
    running_server,
    signed_in_client,
)

# The first test also starts the server (migrate, accounts, serve): on a busy machine that
# alone can take a couple of minutes.
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(360)]

STREAM_PATH = "/api/v1/streaming/user"
# An event arrives in about a second; the polls would take 30 s. Long enough for a slow
# machine, and still too short for a poll to pass the test in the stream's place.
ARRIVAL_TIMEOUT_MS = 15_000
# How long the other teacher's post may take to reach Amara's home feed (the worker's
# fan-out), before the page is drawn.
FANOUT_WAIT_SECONDS = 30.0

ACCOUNTS = {
    handle: Account(handle=handle, email=f"{handle}@example.org", password=f"live-{handle}-pw")
    for handle in ("amara", "bilal")
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ContractServer]:
    with running_server(tmp_path_factory.mktemp("live-data"), ACCOUNTS) as running:
        yield running


@pytest.fixture(scope="module")
def clients(server: ContractServer) -> dict[str, Mastodon]:
    app = register_app(server.base_url, name="Live")
    return {handle: signed_in_client(server, app, handle) for handle in ACCOUNTS}


@pytest.fixture
def amara_page(browser: Browser, server: ContractServer) -> Iterator[Page]:
    """A page signed in as Amara through the sign-in form."""
    context: BrowserContext = browser.new_context(base_url=server.base_url, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    account = server.account("amara")
    page.goto("/accounts/login")
    page.get_by_label("E-mail or handle").fill(account.handle)
    page.get_by_label("Password").fill(account.password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login)"))
    yield page
    context.close()


def _open_with_stream(page: Page, path: str) -> None:
    """Go to `path` and wait until the page's stream is answered (as a stream)."""
    with page.expect_response(lambda response: response.url.endswith(STREAM_PATH)) as stream:
        page.goto(path)
    response = stream.value
    assert response.status == 200, f"{STREAM_PATH} answered {response.status}"
    assert response.headers["content-type"].startswith("text/event-stream")
    # Set on this document only: a reload would lose it.
    page.evaluate("() => { window.drawnOnce = true; }")


def _not_reloaded(page: Page) -> bool:
    return bool(page.evaluate("() => window.drawnOnce === true"))


def _wait_for(check: Callable[[], Any], what: str, seconds: float = FANOUT_WAIT_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"{what} did not happen within {seconds:.0f}s"
        time.sleep(0.2)


def test_a_reply_comes_into_the_open_notifications_page(
    amara_page: Page, clients: dict[str, Mastodon]
) -> None:
    page, amara, bilal = amara_page, clients["amara"], clients["bilal"]
    lesson = amara.status_post("Fractions with pizza slices")
    _open_with_stream(page, "/notifications")
    expect(page.get_by_text("No notifications yet.")).to_be_visible()

    bilal.status_reply(lesson, "Trying this tomorrow!")

    entries = page.locator("#notification-list")
    expect(entries.get_by_text("bilal replied to your post")).to_be_visible(
        timeout=ARRIVAL_TIMEOUT_MS
    )
    expect(entries.get_by_text("Trying this tomorrow!")).to_be_visible()
    expect(page.locator(".notifications-live")).to_contain_text("1 new notification")
    expect(page.get_by_text("No notifications yet.")).to_have_count(0)
    # Read where it is shown: the header badge, told so, stays empty.
    expect(page.locator(".site-nav .notifications-badge .badge")).to_have_count(0)
    assert _not_reloaded(page)
    screenshot(page, "notifications-live")
    check_accessibility(page, "notifications with an entry come in live")


def test_a_new_post_and_a_deletion_reach_the_open_home_feed(
    amara_page: Page, clients: dict[str, Mastodon]
) -> None:
    page, amara, bilal = amara_page, clients["amara"], clients["bilal"]
    amara.account_follow(bilal.me().id)
    old = bilal.status_post("Old news about the timetable")
    _wait_for(
        lambda: any(s.id == old.id for s in amara.timeline_home(limit=5)),
        "Bilal's post in Amara's home feed",
    )
    page.goto("/home")  # the first visit of a session offers onboarding
    _open_with_stream(page, "/home")
    expect(page.locator(f"#post-{old.id}")).to_be_visible()

    bilal.status_post("A new idea for the science fair")
    expect(page.get_by_role("link", name="1 new post — show")).to_be_visible(
        timeout=ARRIVAL_TIMEOUT_MS
    )

    bilal.status_delete(old.id)
    expect(page.locator(f"#post-{old.id}")).to_have_count(0, timeout=ARRIVAL_TIMEOUT_MS)
    assert _not_reloaded(page)
    check_accessibility(page, "home feed with live updates")
