"""Hashtags in a real browser: open a tag page, follow it, find it in Settings → Followed
hashtags, unfollow it there; the pages are screenshotted and checked with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from staffroom.hashtags.models import TagFollow
from staffroom.profiles.professional import onboarding_complete
from tests.browser.conftest import check_accessibility, screenshot
from tests.factories import make_post, make_user

pytestmark = pytest.mark.browser


def test_a_teacher_follows_a_hashtag_and_unfollows_it_in_settings(page, sign_in):
    ada = make_user(handle="ada", display_name="Ada Lovelace")
    onboarding_complete(profile=ada.profile)
    grace = make_user(handle="grace", display_name="Grace Hopper")
    make_post(grace.profile, "Exit tickets that take two minutes #EdChat")
    sign_in(ada)

    page.goto("/tags/edchat")
    expect(page.get_by_text("1 person posted with this hashtag this week.")).to_be_visible()
    check_accessibility(page, "hashtags-tag-page")
    page.get_by_role("button", name="Follow #EdChat").click()
    expect(page.get_by_role("button", name="Unfollow #EdChat")).to_be_visible()
    screenshot(page, "hashtags-tag-page-following")
    assert TagFollow.objects.filter(profile=ada.profile, tag__normalized="edchat").exists()

    page.goto("/settings")
    page.get_by_role("link", name="Followed hashtags").click()
    expect(page.get_by_role("link", name="#EdChat")).to_be_visible()
    check_accessibility(page, "hashtags-settings")
    screenshot(page, "hashtags-settings")
    page.get_by_role("button", name="Unfollow #EdChat").click()
    expect(page.get_by_text("You no longer follow #EdChat.")).to_be_visible()
    expect(page.get_by_text("You follow no hashtags yet.")).to_be_visible()
    assert not TagFollow.objects.filter(profile=ada.profile).exists()

    page.get_by_label("Hashtag to follow").fill("C++")
    page.get_by_role("button", name="Follow hashtag").click()
    expect(page.get_by_text("letters, digits and underscores").first).to_be_visible()
    check_accessibility(page, "hashtags-settings-error")


def test_a_teacher_features_a_hashtag_and_it_leads_to_their_posts(page, sign_in):
    ada = make_user(handle="ada", display_name="Ada Lovelace")
    onboarding_complete(profile=ada.profile)
    make_post(ada.profile, "Number talks every Monday #MathChat")
    make_post(ada.profile, "A post about something else")
    sign_in(ada)

    page.goto("/settings/hashtags")
    page.get_by_role("button", name="Feature #MathChat").click()
    expect(page.get_by_role("button", name="Stop featuring #MathChat")).to_be_visible()

    page.goto("/@ada")
    featured = page.get_by_role("region", name="Featured hashtags")
    check_accessibility(page, "hashtags-profile-featured")
    screenshot(page, "hashtags-profile-featured")
    featured.get_by_role("link", name="#MathChat · 1 post").click()
    expect(page.get_by_role("heading", name="Posts with #MathChat")).to_be_visible()
    expect(page.get_by_text("Number talks every Monday")).to_be_visible()
    expect(page.get_by_text("A post about something else")).to_have_count(0)
