"""Custom emojis and announcements in a real browser: an administrator uploads an emoji on
the moderation page and it shows as an image in a teacher's post; an administrator publishes
an announcement and a teacher dismisses it from the home page. Pages are screenshotted and
checked with axe."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from staffroom.accounts.models import StaffRole, User
from staffroom.announcements.models import AnnouncementRead
from staffroom.emojis.models import CustomEmoji
from staffroom.profiles.professional import onboarding_complete
from tests.browser.conftest import check_accessibility, screenshot
from tests.factories import make_post, make_user

pytestmark = pytest.mark.browser


def _teacher(handle: str, name: str, role: str = StaffRole.MEMBER) -> User:
    user = make_user(handle=handle, display_name=name)
    onboarding_complete(profile=user.profile)
    if role != StaffRole.MEMBER:
        user.role = role
        user.is_staff = role == StaffRole.ADMIN
        user.save(update_fields=["role", "is_staff"])
    return user


def _png(tmp_path) -> str:
    path = tmp_path / "blobteacher.png"
    buffer = io.BytesIO()
    Image.new("RGBA", (96, 96), (30, 110, 200, 255)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_an_administrator_uploads_an_emoji_and_it_shows_in_a_post(page, sign_in, tmp_path):
    admin = _teacher("principal", "Pat Principal", StaffRole.ADMIN)
    ada = _teacher("ada", "Ada Lovelace")
    sign_in(admin)
    page.goto("/moderation/emojis")
    expect(page.get_by_text("No custom emojis yet.")).to_be_visible()
    check_accessibility(page, "emojis-admin-empty")

    page.get_by_label("Shortcode").fill("bad code")
    page.get_by_label("Emoji image").set_input_files(_png(tmp_path))
    page.get_by_role("button", name="Upload the emoji").click()
    expect(page.get_by_text("Shortcode must be at least 2 characters")).to_be_visible()
    check_accessibility(page, "emojis-admin-error")

    page.get_by_label("Shortcode").fill("blobteacher")
    page.get_by_label("Emoji image").set_input_files(_png(tmp_path))
    page.get_by_label("Category").fill("Staffroom")
    page.get_by_role("button", name="Upload the emoji").click()
    expect(page.get_by_text("The emoji :blobteacher: is added.")).to_be_visible()
    expect(page.get_by_role("img", name=":blobteacher:")).to_be_visible()
    screenshot(page, "emojis-admin")
    check_accessibility(page, "emojis-admin")
    assert CustomEmoji.objects.filter(shortcode="blobteacher").exists()

    status = make_post(ada.profile, "Exit tickets done :blobteacher: see you Monday")
    page.goto(f"/@ada/{status.pk}")
    emoji = page.locator("article .post-content img.emoji")
    expect(emoji).to_have_attribute("alt", ":blobteacher:")
    assert (
        page.evaluate(
            "() => document.querySelector('article .post-content img.emoji').naturalWidth"
        )
        == 96
    )
    screenshot(page, "emojis-in-a-post")
    check_accessibility(page, "emojis-in-a-post")


def test_a_teacher_dismisses_an_announcement(page, sign_in):
    admin = _teacher("principal", "Pat Principal", StaffRole.ADMIN)
    ada = _teacher("ada", "Ada Lovelace")
    sign_in(admin)
    page.goto("/moderation/announcements")
    expect(page.get_by_text("No announcements yet.")).to_be_visible()
    page.get_by_label("Announcement", exact=True).fill("Staff meeting moved to **Thursday**.")
    page.get_by_role("button", name="Save the announcement").click()
    expect(page.get_by_text("The announcement is saved.")).to_be_visible()
    screenshot(page, "announcements-admin")
    check_accessibility(page, "announcements-admin")

    sign_in(ada)
    page.goto("/home")
    banner = page.get_by_role("region", name="Announcements")
    expect(banner.get_by_text("Staff meeting moved to")).to_be_visible()
    screenshot(page, "announcements-home-banner")
    check_accessibility(page, "announcements-home-banner")
    banner.get_by_role("button", name="Dismiss announcement 1").click()
    expect(page.get_by_text("The announcement is dismissed.")).to_be_visible()
    expect(page.get_by_role("region", name="Announcements")).to_have_count(0)
    assert AnnouncementRead.objects.filter(account=ada.profile).count() == 1
