"""Notification filtering in a real browser: a private mention from someone the teacher
does not follow is put aside; the list shows "Filtered notifications (1)", the requests
page previews it and "Accept" moves it into the list; the empty state; and Settings →
Notifications' "Filter notifications from..." saved. Each page is screenshotted and
checked with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from staffroom.notifications.selectors import policy_of
from staffroom.posts.models import Visibility
from staffroom.posts.services import PostText, status_create
from tests.browser.conftest import check_accessibility, screenshot
from tests.factories import make_user

pytestmark = pytest.mark.browser


def test_a_filtered_private_mention_is_accepted_into_the_list(page, sign_in, run_jobs):
    ada = make_user(handle="ada", display_name="Ada Lovelace").profile
    bo = make_user(handle="bo", display_name="Bo Diddley").profile
    status_create(
        author=bo,
        draft=PostText(text="@ada could we swap break duty on Friday?"),
        visibility=Visibility.DIRECT,
    )
    run_jobs()

    sign_in(ada.user)
    page.goto("/notifications")
    expect(page.get_by_text("No notifications yet.")).to_be_visible()
    page.get_by_role("link", name="Filtered notifications (1)").click()

    expect(page.get_by_role("heading", name="Filtered notifications", level=1)).to_be_visible()
    request = page.locator("li.notification-request", has_text="Bo Diddley")
    expect(request.get_by_text("1 notification put aside")).to_be_visible()
    expect(request.get_by_text("could we swap break duty on Friday?")).to_be_visible()
    screenshot(page, "notification-requests")
    check_accessibility(page, "notification-requests")

    request.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Notifications from Bo Diddley now show as usual.")).to_be_visible()
    expect(page.get_by_text("Nothing is filtered.")).to_be_visible()
    check_accessibility(page, "notification-requests-empty")

    page.get_by_role("link", name="Back to your notifications").click()
    entries = page.locator(".notification-list")
    expect(entries.get_by_text("could we swap break duty on Friday?")).to_be_visible()
    expect(page.get_by_role("link", name="Filtered notifications (1)")).to_have_count(0)


def test_the_filter_settings_are_saved(page, sign_in):
    ada = make_user(handle="ada", display_name="Ada Lovelace").profile
    sign_in(ada.user)
    page.goto("/settings/notifications")
    filters = page.locator("#policy-form")
    expect(page.get_by_role("heading", name="Filter notifications from...")).to_be_visible()
    filters.get_by_role("group", name="New accounts").get_by_label("Ignore them completely").check()
    filters.get_by_role("group", name="People you don't follow").get_by_label(
        "Put them aside under filtered notifications"
    ).check()
    screenshot(page, "notification-filter-settings")
    check_accessibility(page, "notification-filter-settings")
    filters.get_by_role("button", name="Save notification filters").click()
    expect(page.get_by_text("Your notification filters are saved.")).to_be_visible()
    policy = policy_of(ada)
    assert (policy.for_new_accounts, policy.for_not_following) == ("drop", "filter")
    expect(
        page.locator("#policy-form")
        .get_by_role("group", name="New accounts")
        .get_by_label("Ignore them completely")
    ).to_be_checked()
