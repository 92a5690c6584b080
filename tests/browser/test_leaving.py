"""Leaving: a teacher exports their data, then deletes the account."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from staffroom.accounts.models import User
from staffroom.profiles.professional import onboarding_complete
from tests.browser.conftest import check_accessibility, screenshot
from tests.factories import DEFAULT_PASSWORD, make_user

pytestmark = pytest.mark.browser


def test_export_is_prepared_then_downloadable(page, sign_in, run_jobs, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    user = make_user(handle="leaver", display_name="Lee Aver")
    onboarding_complete(profile=user.profile)
    sign_in(user)
    page.goto("/settings/export")
    screenshot(page, "settings-export-empty")
    check_accessibility(page, "settings-export-empty")
    page.get_by_role("button", name="Prepare a new export").click()
    expect(page.get_by_label("Export progress")).to_be_visible()
    screenshot(page, "settings-export-pending")
    run_jobs()
    page.goto("/settings/export")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").first.click()
    assert download.value.suggested_filename.endswith(".zip")
    check_accessibility(page, "settings-export-ready")


def test_delete_account_needs_the_password_then_says_goodbye(page, sign_in, run_jobs):
    user = make_user(handle="leaver")
    onboarding_complete(profile=user.profile)
    sign_in(user)
    page.goto("/settings/delete")
    screenshot(page, "settings-delete")
    check_accessibility(page, "settings-delete")
    page.get_by_label("Password").fill("not my password")
    page.get_by_label("handle", exact=False).last.fill("leaver")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Nothing was deleted")).to_be_visible()
    assert User.objects.get(pk=user.pk).is_active

    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_label("handle", exact=False).last.fill("leaver")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Goodbye")
    check_accessibility(page, "goodbye")
    run_jobs()
    assert not User.objects.filter(pk=user.pk).exists()
