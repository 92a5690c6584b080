"""Settings → Blocks → Blocked domains: block a server, see it listed, unblock it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from staffroom.profiles.professional import onboarding_complete
from tests.browser.conftest import check_accessibility, screenshot
from tests.factories import make_user

pytestmark = pytest.mark.browser


def test_block_and_unblock_a_server(page, sign_in):
    user = make_user(handle="blocker", display_name="Bea Locker")
    onboarding_complete(profile=user.profile)
    sign_in(user)
    page.goto("/settings/blocks")
    expect(page.get_by_text("You block no servers.")).to_be_visible()
    page.get_by_label("Server to block").fill("https://not a domain/")
    page.get_by_role("button", name="Block this server").click()
    expect(page.get_by_text("is not a valid domain name")).to_be_visible()
    page.get_by_label("Server to block").fill("Spam.Example")
    page.get_by_role("button", name="Block this server").click()
    expect(page.get_by_text("You block spam.example now.")).to_be_visible()
    screenshot(page, "graph-blocked-domains")
    check_accessibility(page, "graph-blocked-domains")
    page.get_by_role("button", name="Unblock spam.example").click()
    expect(page.get_by_text("You no longer block spam.example.")).to_be_visible()
    expect(page.get_by_text("You block no servers.")).to_be_visible()
