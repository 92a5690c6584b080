"""The profile pages in a real browser: onboarding (to "Grow your PLN" and the directory),
profile, settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from staffroom.accounts.models import User
from staffroom.profiles.models import Profile
from staffroom.profiles.professional import (
    ProfessionalChanges,
    onboarding_complete,
    privacy_update,
    professional_update,
    profile_terms,
)
from staffroom.profiles.services import profile_update
from tests.browser.conftest import check_accessibility, screenshot
from tests.factories import make_user

pytestmark = pytest.mark.browser


def _colleague(handle: str, name: str, **changes: object) -> User:
    user = make_user(handle=handle, display_name=name)
    professional_update(profile=user.profile, changes=ProfessionalChanges(**changes))  # type: ignore[arg-type]
    return user


def _grade7_math_colleagues() -> None:
    _colleague("katherine", "Katherine Johnson", role="teacher", subjects=["math"], grades=["g7"])
    _colleague("emmy", "Emmy N.", role="coach", subjects=["algebra"], grades=["g7", "g8"])
    _colleague("pablo", "Pablo Art", role="teacher", subjects=["visual-arts"], grades=["g7"])


def _onboarded(handle: str, name: str) -> User:
    user = make_user(handle=handle, display_name=name)
    onboarding_complete(profile=user.profile)
    return user


def test_onboarding_leads_to_grade_7_math_colleagues(page, sign_in):
    _grade7_math_colleagues()
    sign_in(make_user(handle="ada", display_name="Ada Lovelace"))

    page.goto("/home")
    page.wait_for_url("**/onboarding")
    assert page.get_by_role("heading", level=1).inner_text() == "What do you want from your PLN?"
    screenshot(page, "onboarding-goals")
    check_accessibility(page, "onboarding-goals")
    page.get_by_label("Resources").check()
    page.get_by_label("Best practices").check()
    page.get_by_label("A reciprocal relationship").check()
    page.get_by_label("Visual").check()
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/onboarding/practice")
    screenshot(page, "onboarding-practice")
    check_accessibility(page, "onboarding-practice")
    page.get_by_label("Your role").select_option("teacher")
    page.get_by_role("group", name="Mathematics").get_by_label("Mathematics").check()
    page.get_by_label("Grade 7", exact=True).check()
    page.get_by_label("Formative assessment").check()
    page.get_by_role("button", name="Find colleagues").click()

    # Onboarding ends on "Grow your PLN", which links to the directory filtered the same way.
    page.wait_for_url("**/grow")
    expect(page.get_by_role("heading", name="Grow your PLN", level=1)).to_be_visible()
    page.get_by_role("link", name="Browse the directory for more colleagues").click()
    page.wait_for_url("**/directory?subject=math&grade=g7")
    results = page.locator("#directory-results")
    expect(results).to_contain_text("Katherine Johnson")
    expect(results).to_contain_text("Emmy N.")
    expect(results).not_to_contain_text("Pablo Art")
    screenshot(page, "onboarding-directory")
    check_accessibility(page, "onboarding-directory")
    profile = Profile.objects.get(handle="ada")
    assert profile.onboarded_at is not None
    assert profile.goal_purposes == ["resources", "practices"]
    assert profile_terms(profile)["subject"] == ["math"]


def test_onboarding_can_be_skipped(page, sign_in):
    sign_in(make_user(handle="ada", display_name="Ada Lovelace"))

    page.goto("/onboarding")
    page.get_by_role("button", name="Skip for now").click()

    page.wait_for_url("**/directory")
    page.goto("/home")
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Ada Lovelace"
    expect(page.locator(".completeness")).to_contain_text("Add your subjects")
    screenshot(page, "home-with-completeness")
    check_accessibility(page, "home-with-completeness")


def test_profile_page_of_a_pseudonymous_locked_teacher(page):
    user = _colleague(
        "quietowl",
        "Quiet Owl",
        role="teacher",
        subjects=["science", "biology"],
        grades=["g9", "g10"],
        practices=["inquiry-based-learning", "sel"],
        experience_years=12,
        mentorship="offering",
    )
    profile_update(
        profile=user.profile,
        note="Biology teacher. I share **labs** that work.\n\n<script>alert(1)</script>",
        fields=[{"name": "Blog", "value": "https://owl.example"}],
    )
    privacy_update(profile=user.profile, is_locked=True)

    response = page.goto("/@quietowl")

    assert response is not None
    assert response.status == 200
    assert page.get_by_role("heading", level=1).inner_text() == "Quiet Owl"
    expect(page.locator(".badges")).to_contain_text("Locked")
    expect(page.locator(".bio strong")).to_have_text("labs")
    expect(page.get_by_role("link", name="Biology")).to_have_attribute(
        "href", "/directory?subject=biology"
    )
    screenshot(page, "profile-page")
    check_accessibility(page, "profile-page")


def test_edit_profile_with_an_avatar(page, sign_in, tmp_path: Path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    user = _onboarded("ada", "Ada Lovelace")
    sign_in(user)
    avatar = tmp_path / "avatar.png"
    Image.new("RGB", (120, 120), (200, 80, 40)).save(avatar, "PNG")

    page.goto("/settings/profile")
    screenshot(page, "edit-profile")
    check_accessibility(page, "edit-profile")
    page.get_by_label("Display name").fill("Ms. Lovelace")
    page.get_by_label("Bio", exact=True).fill("I teach *grade 7* math.")
    page.set_input_files("#id_avatar", str(avatar))
    page.get_by_label("Your role").select_option("teacher")
    page.get_by_role("group", name="Mathematics").get_by_label("Algebra").check()
    page.get_by_label("Grade 7", exact=True).check()
    page.get_by_label("Other interests (free tags)").fill("chess club")
    page.get_by_label("Years of experience").fill("5")
    page.get_by_label("Time zone").select_option("Europe/London")
    page.get_by_label("Label 1").fill("Blog")
    page.get_by_label("Link or text 1").fill("https://ada.example")
    page.get_by_role("button", name="Save profile").click()

    expect(page.locator(".messages")).to_contain_text("Your profile is saved.")
    screenshot(page, "edit-profile-saved")
    profile = Profile.objects.get(pk=user.profile.pk)
    assert profile.display_name == "Ms. Lovelace"
    assert profile.avatar.startswith("avatars/")
    assert profile.timezone == "Europe/London"
    assert profile_terms(profile)["subject"] == ["algebra"]

    page.goto("/@ada")
    assert page.get_by_role("heading", level=1).inner_text() == "Ms. Lovelace"
    expect(page.locator(".avatar-large")).to_have_attribute("src", f"/media/{profile.avatar}")


def test_edit_profile_shows_why_nothing_was_saved(page, sign_in, tmp_path: Path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    sign_in(_onboarded("ada", "Ada Lovelace"))
    fake = tmp_path / "avatar.png"
    fake.write_bytes(b"not an image at all")

    page.goto("/settings/profile")
    page.get_by_label("Display name").fill("Ms. Lovelace")
    page.set_input_files("#id_avatar", str(fake))
    page.get_by_role("button", name="Save profile").click()

    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved")
    screenshot(page, "edit-profile-error")
    check_accessibility(page, "edit-profile-error")
    assert Profile.objects.get(handle="ada").display_name == "Ada Lovelace"


def test_goals_page(page, sign_in):
    sign_in(_onboarded("ada", "Ada Lovelace"))

    page.goto("/settings/goals")
    screenshot(page, "settings-goals")
    check_accessibility(page, "settings-goals")
    page.get_by_label("Support").check()
    page.get_by_label("Quietly following").check()
    page.get_by_role("button", name="Save goals").click()

    expect(page.locator(".messages")).to_contain_text("Your PLN goals are saved.")
    profile = Profile.objects.get(handle="ada")
    assert profile.goal_purposes == ["support"]
    assert profile.interaction_style == "quiet"


def test_privacy_page(page, sign_in):
    sign_in(_onboarded("ada", "Ada Lovelace"))

    page.goto("/settings/privacy")
    screenshot(page, "settings-privacy")
    check_accessibility(page, "settings-privacy")
    page.get_by_label("Locked account").check()
    page.get_by_label("Away (summer break)").check()
    page.get_by_role("button", name="Save privacy settings").click()

    expect(page.locator(".messages")).to_contain_text("Your privacy settings are saved.")
    profile = Profile.objects.get(handle="ada")
    assert profile.is_locked
    assert profile.is_away


def test_directory_filters_in_place(page):
    _grade7_math_colleagues()

    page.goto("/directory")
    screenshot(page, "directory")
    check_accessibility(page, "directory")
    page.get_by_label("Subject").select_option("math")
    page.get_by_label("Grade or band").select_option("6-8")
    page.get_by_role("button", name="Show educators").click()

    page.wait_for_url("**/directory?subject=math&grade=6-8**")
    results = page.locator("#directory-results")
    expect(results).to_contain_text("Katherine Johnson")
    expect(results).not_to_contain_text("Pablo Art")
    screenshot(page, "directory-filtered")

    page.goto("/directory?subject=latin")
    expect(page.locator("#directory-results")).to_contain_text("Try loosening one")
    screenshot(page, "directory-empty")
    check_accessibility(page, "directory-empty")


@pytest.mark.parametrize("path", ["/directory", "/@katherine"])
def test_profile_pages_fit_a_phone(mobile_page, path):
    _grade7_math_colleagues()

    mobile_page.goto(path)

    name = "directory-mobile" if path == "/directory" else "profile-page-mobile"
    screenshot(mobile_page, name)
    assert mobile_page.evaluate("() => document.documentElement.scrollWidth") <= 375
    check_accessibility(mobile_page, name)
