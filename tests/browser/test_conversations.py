"""Conversations in a real browser: a direct message written in the composer reaches the
recipient's Conversations page unread; opening it shows the thread and reads it; a reply
from the thread page updates both sides; "Delete for me" takes it out in place, and the
empty state follows. Each page is screenshotted and checked with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from staffroom.accounts.models import User
from staffroom.conversations.models import Conversation
from staffroom.posts.models import Status, Visibility
from staffroom.profiles.professional import onboarding_complete
from tests.browser.conftest import check_accessibility, screenshot
from tests.factories import make_user

pytestmark = pytest.mark.browser


def _teacher(handle: str, name: str) -> User:
    user = make_user(handle=handle, display_name=name)
    onboarding_complete(profile=user.profile)
    return user


def test_a_direct_message_is_read_answered_and_deleted_for_one(page, sign_in):
    ada = _teacher("ada", "Ada Lovelace")
    bo = _teacher("bo", "Bo Diddley")

    # Ada writes to Bo only, from the composer.
    sign_in(ada)
    page.goto("/compose")
    composer = page.locator("form.composer")
    composer.get_by_label("Your post").fill("@bo Can I borrow your fractions slides?")
    composer.get_by_label("Mentioned people only").check()
    composer.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", name="Post by Ada Lovelace")).to_be_visible()
    message = Status.objects.get(account=ada.profile)
    assert message.visibility == Visibility.DIRECT

    # Bo finds it on his Conversations page, unread.
    sign_in(bo)
    page.goto("/home")
    page.get_by_role("link", name="Conversations", exact=True).click()
    expect(page.get_by_role("heading", name="Conversations", level=1)).to_be_visible()
    entry = page.locator("li.conversation", has_text="Can I borrow your fractions slides?")
    expect(entry).to_be_visible()
    expect(entry.get_by_text("Ada Lovelace").first).to_be_visible()
    expect(entry.get_by_text("Unread")).to_be_visible()
    screenshot(page, "conversations-list")
    check_accessibility(page, "conversations-list")

    # Opening it shows the thread and reads it; Bo answers from there.
    entry.get_by_role("link", name="Open conversation").click()
    expect(page.get_by_text("Can I borrow your fractions slides?")).to_be_visible()
    page.get_by_label("Your reply").fill("@ada Of course, they are in the shared drive.")
    page.get_by_role("button", name="Publish reply").click()
    expect(page.get_by_text("Your post is published.")).to_be_visible()
    page.goto("/conversations")
    entry = page.locator("li.conversation", has_text="they are in the shared drive")
    expect(entry.get_by_text("You:")).to_be_visible()
    expect(entry.get_by_text("Unread")).to_have_count(0)

    # Ada's side is unread again, with Bo's answer last.
    sign_in(ada)
    page.goto("/conversations")
    theirs = page.locator("li.conversation", has_text="they are in the shared drive")
    expect(theirs.get_by_text("Unread")).to_be_visible()

    # Bo deletes it for himself, in place; Ada keeps hers.
    sign_in(bo)
    page.goto("/conversations")
    page.locator("li.conversation").get_by_role("button", name="Delete for me").click()
    expect(page.get_by_text("Conversation removed from your list.")).to_be_visible()
    assert not Conversation.objects.filter(owner=bo.profile).exists()
    assert Conversation.objects.filter(owner=ada.profile).exists()
    check_accessibility(page, "conversations-removed")
    page.goto("/conversations")
    expect(page.get_by_text("No conversations yet.")).to_be_visible()
    screenshot(page, "conversations-empty")
    check_accessibility(page, "conversations-empty")
