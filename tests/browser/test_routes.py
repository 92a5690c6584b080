"""Endorsing a colleague and keeping a private note on their profile, then muting a
conversation from its thread page, in a real browser (checked with axe)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from staffroom.accounts.models import User
from staffroom.graph.models import AccountNote, Follow
from staffroom.graph.services import follow_create
from staffroom.posts.models import ConversationMute
from staffroom.profiles.professional import onboarding_complete
from tests.browser.conftest import check_accessibility, screenshot
from tests.factories import make_post, make_user

pytestmark = pytest.mark.browser


def _teacher(handle: str, name: str) -> User:
    user = make_user(handle=handle, display_name=name)
    onboarding_complete(profile=user.profile)
    return user


def test_endorse_note_and_mute_a_conversation(page: Page, sign_in):
    ada = _teacher("ada", "Ada Lovelace")
    katherine = _teacher("katherine", "Katherine Johnson").profile
    follow_create(actor=ada.profile, target=katherine)
    status = make_post(ada.profile, "How do you run exit tickets?")
    sign_in(ada)

    page.goto("/@katherine")
    control = page.locator(f"#rel-{katherine.pk}")
    control.get_by_role("button", name="Recommend on my profile").click()
    expect(page.locator(f"#rel-{katherine.pk}")).to_contain_text("Stop recommending")
    assert Follow.objects.get(follower=ada.profile, followee=katherine).endorsed_at

    page.get_by_label("Only you can see this note about Katherine Johnson.").fill(
        "Ask about the maths club"
    )
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_role("status").or_(page.locator(".message")).first).to_be_visible()
    assert AccountNote.objects.get(author=ada.profile, target=katherine).comment == (
        "Ask about the maths club"
    )
    screenshot(page, "routes-profile-note")
    check_accessibility(page, "routes-profile-note")

    page.goto("/@ada")
    recommended = page.locator("section.recommended-colleagues")
    expect(recommended).to_contain_text("Katherine Johnson")
    check_accessibility(page, "routes-recommended")

    page.goto(f"/@ada/{status.pk}")
    page.get_by_role("button", name="Mute conversation").click()
    expect(page.get_by_role("button", name="Unmute conversation")).to_be_visible()
    assert ConversationMute.objects.filter(account=ada.profile, thread_id=status.thread_id).exists()
    screenshot(page, "routes-thread-muted")
    check_accessibility(page, "routes-thread-muted")
