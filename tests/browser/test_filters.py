"""Filters in a real browser: make a filter in Settings → Filters, see a `warn` match
folded behind "Filtered: <title>" on the local feed (Show opens it), switch the filter to
`hide` and the post is gone; a refused form says why. Pages checked with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from staffroom.filters.models import Filter
from staffroom.profiles.professional import onboarding_complete
from tests.browser.conftest import check_accessibility, screenshot
from tests.factories import make_post, make_user

pytestmark = pytest.mark.browser


def test_a_teacher_filters_a_word_then_hides_it(page, sign_in):
    ada = make_user(handle="ada", display_name="Ada Lovelace")
    onboarding_complete(profile=ada.profile)
    grace = make_user(handle="grace", display_name="Grace Hopper")
    make_post(grace.profile, "Standardized testing season is here")
    make_post(grace.profile, "Number talks every Monday")
    sign_in(ada)

    page.goto("/settings")
    page.get_by_role("link", name="Filters").click()
    expect(page.get_by_text("You have no filters yet.")).to_be_visible()
    check_accessibility(page, "filters-settings-empty")
    page.get_by_role("link", name="New filter").click()

    page.get_by_label("Title").fill("Testing talk")
    page.get_by_role("button", name="Save filter").click()  # no context chosen
    expect(page.get_by_text("Choose at least one place where the filter applies.")).to_be_visible()
    check_accessibility(page, "filters-new-error")

    page.get_by_label("Public timelines").check()
    page.get_by_label("Keyword 1").fill("testing")
    page.get_by_role("button", name="Save filter").click()
    expect(page.get_by_text("The filter is saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="Testing talk")).to_be_visible()
    check_accessibility(page, "filters-settings")
    screenshot(page, "filters-settings")
    assert Filter.objects.get(account=ada.profile).context == ["public"]

    page.goto("/local")
    folded = page.locator("details.post-filtered")
    expect(folded).to_have_count(1)
    expect(folded.get_by_text("Filtered: Testing talk")).to_be_visible()
    expect(page.get_by_text("Standardized testing season is here")).not_to_be_visible()
    expect(page.get_by_text("Number talks every Monday")).to_be_visible()
    check_accessibility(page, "filters-local-feed-warned")
    folded.get_by_text("Show").click()
    expect(page.get_by_text("Standardized testing season is here")).to_be_visible()
    screenshot(page, "filters-local-feed-shown")

    page.goto("/settings/filters")
    page.get_by_role("link", name="Edit Testing talk").click()
    page.get_by_label("Hide completely").check()
    page.get_by_role("button", name="Save filter").click()
    expect(page.get_by_text("Hides posts completely")).to_be_visible()

    page.goto("/local")
    expect(page.get_by_text("Number talks every Monday")).to_be_visible()
    expect(page.get_by_text("Standardized testing season is here")).to_have_count(0)
    expect(page.locator("details.post-filtered")).to_have_count(0)

    page.goto("/settings/filters")
    page.get_by_role("button", name="Delete Testing talk").click()
    expect(page.get_by_text("The filter is deleted.")).to_be_visible()
    assert not Filter.objects.exists()
