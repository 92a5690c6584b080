"""Notifications in a real browser: a reply, a favourite and a follow reach the teacher's
page and the header badge (the badge updates without a reload); the filter, "Dismiss" in
place, the settings section and the unsubscribe link. Each page is screenshotted and
checked with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from staffroom.graph.services import follow_create
from staffroom.notifications.models import Notification, NotificationPreferences
from staffroom.notifications.services import unsubscribe_token
from staffroom.posts.services import PostText, favourite_create, status_create
from tests.browser.conftest import check_accessibility, screenshot
from tests.factories import make_user

pytestmark = pytest.mark.browser


def test_a_reply_a_favourite_and_a_follow_reach_the_page_and_the_badge(page, sign_in, run_jobs):
    ada = make_user(handle="ada", display_name="Ada Lovelace").profile
    bo = make_user(handle="bo", display_name="Bo Diddley").profile
    cy = make_user(handle="cy", display_name="Cy Young").profile
    status = status_create(author=ada, draft=PostText(text="Fractions with pizza slices"))

    page.clock.install()
    sign_in(ada.user)
    page.goto("/feeds")
    badge = page.locator(".site-nav .notifications-badge")
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    expect(badge.locator(".badge")).to_have_count(0)

    # Three things happen; the header badge says so at its next poll, without a reload.
    status_create(author=bo, draft=PostText(text="Trying this tomorrow!"), in_reply_to=status)
    favourite_create(actor=cy, status=status)
    follow_create(actor=cy, target=ada)
    run_jobs()
    page.clock.fast_forward("00:31")
    expect(badge.locator(".badge")).to_have_text("3")
    expect(page.get_by_role("link", name="Notifications 3 unread")).to_be_visible()
    screenshot(page, "notifications-badge")

    page.get_by_role("link", name="Notifications 3 unread").click()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    entries = page.locator(".notification-list")
    expect(entries.get_by_text("Bo Diddley replied to your post")).to_be_visible()
    expect(entries.get_by_text("Trying this tomorrow!")).to_be_visible()
    expect(entries.get_by_text("Cy Young favourited your post")).to_be_visible()
    expect(entries.get_by_text("Cy Young followed you")).to_be_visible()
    # Opening the page read them: the badge is gone.
    expect(badge.locator(".badge")).to_have_count(0)
    screenshot(page, "notifications-list")
    check_accessibility(page, "notifications-list")

    # The filter.
    page.get_by_role("navigation", name="Filter notifications").get_by_role(
        "link", name="Mentions and replies"
    ).click()
    expect(entries.get_by_text("Bo Diddley replied to your post")).to_be_visible()
    expect(entries.get_by_text("Cy Young followed you")).to_have_count(0)

    # Dismiss in place.
    page.goto("/notifications")
    follow_entry = entries.locator("li.notification", has_text="Cy Young followed you")
    follow_entry.get_by_role("button", name="Dismiss").click()
    expect(page.get_by_text("Notification dismissed.")).to_be_visible()
    expect(entries.get_by_text("Cy Young followed you")).to_have_count(0)
    assert not Notification.objects.filter(recipient=ada, kind="follow").exists()
    check_accessibility(page, "notifications-dismissed")

    # Clear all, then the empty state.
    page.get_by_role("button", name="Clear all notifications").click()
    expect(page.get_by_text("No notifications yet.")).to_be_visible()
    screenshot(page, "notifications-empty")
    check_accessibility(page, "notifications-empty")


def test_settings_and_unsubscribe(page, sign_in):
    ada = make_user(handle="ada", display_name="Ada Lovelace").profile
    sign_in(ada.user)
    page.goto("/settings/notifications")
    expect(page.get_by_role("heading", name="Notifications", level=2, exact=True)).to_be_visible()
    emailed = page.get_by_role("group", name="E-mail me")
    emailed.get_by_label("Mentions and replies").check()
    page.get_by_role("group", name="Show in your notifications").get_by_label(
        "New followers"
    ).uncheck()
    screenshot(page, "notifications-settings")
    check_accessibility(page, "notifications-settings")
    page.get_by_role("button", name="Save notification settings").click()
    expect(page.get_by_text("Your notification settings are saved.")).to_be_visible()
    preferences = NotificationPreferences.objects.get(owner=ada)
    assert preferences.email_kinds == ["mention"]
    assert "follow" in preferences.muted_kinds

    # The link from an e-mail, opened signed out.
    page.context.clear_cookies()
    page.goto(f"/notifications/unsubscribe/{unsubscribe_token(ada)}")
    check_accessibility(page, "notifications-unsubscribe")
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    screenshot(page, "notifications-unsubscribed")
    assert NotificationPreferences.objects.get(owner=ada).email_kinds == []

    page.goto(f"/notifications/unsubscribe/{unsubscribe_token(ada)}x")
    expect(page.get_by_role("heading", name="This unsubscribe link is not valid")).to_be_visible()
    check_accessibility(page, "notifications-unsubscribe-invalid")
