"""Search in a real browser: from the header box to people, posts and a hashtag page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from staffroom.profiles.professional import ProfessionalChanges, professional_update
from tests.browser.conftest import check_accessibility, screenshot
from tests.factories import make_post, make_user

pytestmark = pytest.mark.browser


def test_searching_from_the_header_finds_people_posts_and_hashtags(page, sign_in):
    rosa = make_user(handle="rosa", display_name="Rosa Ratios").profile
    professional_update(profile=rosa, changes=ProfessionalChanges(subjects=["math"]))
    make_post(rosa, "Inquiry ratios with tape diagrams, then a gallery walk #MathChat")
    make_post(rosa, "Only my followers: the inquiry ratios quiz key", visibility="followers")
    sign_in(make_user(handle="ana", display_name="Ana Reader"))

    page.goto("/about")
    box = page.get_by_role("searchbox", name="Search people, posts and hashtags")
    box.fill("inquiry ratios")
    box.press("Enter")
    page.wait_for_url("**/search?q=inquiry+ratios")

    posts = page.get_by_role("region", name="Posts")
    expect(posts.locator("mark").first).to_have_text("Inquiry", ignore_case=True)
    expect(posts).to_contain_text("tape diagrams")
    expect(posts).not_to_contain_text("quiz key")
    screenshot(page, "search-all")
    check_accessibility(page, "search-all")

    page.get_by_role("link", name="People", exact=True).click()
    expect(page.get_by_role("link", name="People", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    page.get_by_label("People, posts or hashtags").fill("rosa")
    page.get_by_role("button", name="Search", exact=True).last.click()
    expect(page.get_by_role("heading", name="Rosa Ratios")).to_be_visible()

    page.get_by_label("People, posts or hashtags").fill("#mathchat")
    page.get_by_role("button", name="Search", exact=True).last.click()
    page.get_by_role("link", name="Hashtags", exact=True).click()
    page.get_by_role("link", name="#MathChat").click()
    page.wait_for_url("**/tags/MathChat")
    expect(page.get_by_text("gallery walk")).to_be_visible()


def test_a_search_that_finds_nothing_says_what_to_try(page, sign_in):
    sign_in(make_user(handle="ana", display_name="Ana Reader"))
    page.goto("/search?q=zyzzyva")
    expect(page.get_by_role("status")).to_contain_text("Nothing matches")
    check_accessibility(page, "search-nothing")
