"""Every main page passes axe (WCAG 2.1 AA: no serious or critical findings) and is captured."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from staffroom.profiles.professional import onboarding_complete
from tests.browser.conftest import check_accessibility, screenshot
from tests.factories import make_user

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [
    ("landing", "/", "Staffroom: the staffroom without walls"),
    ("signup", "/accounts/signup", "Join Staffroom"),
    ("login", "/accounts/login", "Sign in"),
    ("password-reset", "/accounts/password/reset", "Reset your password"),
]
SIGNED_IN_PAGES = [
    ("home", "/home", "Welcome, Ada Lovelace"),
    ("settings", "/settings", "Settings"),
    ("password-change", "/settings/password", "Settings"),
    ("settings-applications", "/settings/applications", "Settings"),
    ("settings-development", "/settings/development", "Settings"),
]


@pytest.mark.parametrize(("name", "path", "heading"), PUBLIC_PAGES)
def test_public_page_passes_axe(page, name, path, heading):
    response = page.goto(path)

    assert response.status == 200
    assert page.get_by_role("heading", level=1).inner_text() == heading
    screenshot(page, name)
    check_accessibility(page, name)


def test_not_found_page_passes_axe(page):
    response = page.goto("/no-such-page")

    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    screenshot(page, "not-found")
    check_accessibility(page, "not-found")


@pytest.mark.parametrize(("name", "path", "heading"), SIGNED_IN_PAGES)
def test_signed_in_page_passes_axe(page, sign_in, name, path, heading):
    ada = make_user(handle="ada", display_name="Ada Lovelace")
    onboarding_complete(profile=ada.profile)
    sign_in(ada)

    response = page.goto(path)

    assert response.status == 200
    assert page.url.endswith(path)
    assert page.get_by_role("heading", level=1).inner_text() == heading
    screenshot(page, name)
    check_accessibility(page, name)


def test_login_page_names_the_site(page):
    page.goto("/accounts/login")

    assert page.locator(".brand").inner_text() == "Staffroom"
    assert page.title() == "Sign in · Staffroom"


def test_password_change_page_describes_the_password_rules(page, sign_in):
    sign_in(make_user(handle="ada"))

    page.goto("/settings/password")

    # Django's rules are a list: it must sit inside the element the field points to.
    expect(page.get_by_label("New password", exact=True)).to_have_accessible_description(
        re.compile("at least 8 characters")
    )


@pytest.mark.parametrize(("name", "path"), [("landing", "/"), ("signup", "/accounts/signup")])
def test_public_page_fits_a_phone(mobile_page, name, path):
    mobile_page.goto(path)

    screenshot(mobile_page, f"{name}-mobile")
    # Nothing wider than the 375-pixel screen: no sideways scrolling.
    assert mobile_page.evaluate("() => document.documentElement.scrollWidth") <= 375
    check_accessibility(mobile_page, f"{name}-mobile")
