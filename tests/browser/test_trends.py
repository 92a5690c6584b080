"""Trends in a real browser: three teachers post the same hashtag, the trends job runs, a
moderator approves the hashtag on the review page, and it shows on Explore. Every page is
screenshotted and checked with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from staffroom.accounts.models import StaffRole, User
from staffroom.posts.services import PostText, status_create
from staffroom.profiles.professional import onboarding_complete
from staffroom.trends.services import trends_refresh
from tests.browser.conftest import check_accessibility, screenshot
from tests.factories import make_user

pytestmark = pytest.mark.browser


def _teacher(handle: str, role: str = StaffRole.MEMBER) -> User:
    user = make_user(handle=handle)
    onboarding_complete(profile=user.profile)
    if role != StaffRole.MEMBER:
        user.role = role
        user.save(update_fields=["role"])
    return user


def _check(page, name: str) -> None:
    screenshot(page, name)
    check_accessibility(page, name)


def test_a_moderator_approves_a_hashtag_and_it_trends_on_explore(page, sign_in):
    moderator = _teacher("modmo", StaffRole.MODERATOR)
    for handle in ("ada", "bo", "cy"):
        author = _teacher(handle).profile
        status_create(author=author, draft=PostText(text="Number talks this week #mathchat"))
    trends_refresh()

    page.goto("/explore")
    expect(page.get_by_text("Nothing is trending yet")).to_be_visible()
    _check(page, "trends-explore-empty")

    sign_in(moderator)
    page.goto("/moderation/trends")
    expect(page.get_by_text("Waiting for a review.")).to_be_visible()
    _check(page, "trends-review")
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.get_by_text("Approved: it may trend.")).to_be_visible()

    page.get_by_role("link", name="Explore").first.click()
    expect(page.get_by_role("link", name="#mathchat")).to_be_visible()
    expect(page.get_by_text("3 people talked about it this week")).to_be_visible()
    _check(page, "trends-explore")

    page.goto("/home")
    expect(page.get_by_role("heading", name="Trending in your staffroom")).to_be_visible()
    _check(page, "trends-home")
