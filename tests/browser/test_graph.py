"""The social graph in a real browser: the issue's "Done when" through the web UI.

A teacher follows a colleague into "Classroom management", connects with another (who
accepts), blocks a third and mutes a fourth for an hour; every graph page is screenshotted
and checked with axe.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from staffroom.accounts.models import User
from staffroom.graph.models import Block, Connection, Follow, Mute, PurposeList
from staffroom.graph.services import follow_create
from staffroom.profiles.professional import onboarding_complete, privacy_update
from tests.browser.conftest import check_accessibility, screenshot
from tests.factories import make_user

pytestmark = pytest.mark.browser


def _teacher(handle: str, name: str) -> User:
    user = make_user(handle=handle, display_name=name)
    onboarding_complete(profile=user.profile)
    return user


def _look(page: Page, url: str, name: str) -> None:
    page.goto(url)
    screenshot(page, name)
    check_accessibility(page, name)


def test_a_teacher_follows_connects_blocks_and_mutes(page, sign_in):
    ada = _teacher("ada", "Ada Lovelace")
    katherine = _teacher("katherine", "Katherine Johnson").profile
    emmy = _teacher("emmy", "Emmy Noether")
    pablo = _teacher("pablo", "Pablo Troll").profile
    grace = _teacher("grace", "Grace Hopper").profile
    sign_in(ada)

    # Follow into "Classroom management" (offered from the goals: Ada has no lists yet).
    page.goto("/@katherine")
    screenshot(page, "graph-profile-control")
    check_accessibility(page, "graph-profile-control")
    control = page.locator(f"#rel-{katherine.pk}")
    control.get_by_text("Purposes and options").click()
    control.get_by_label("Classroom management").check()
    control.get_by_role("button", name="Follow", exact=True).click()
    expect(page.locator(f"#rel-{katherine.pk}")).to_contain_text("Unfollow")
    expect(page.locator(f"#rel-{katherine.pk}")).to_contain_text("Classroom management")
    classroom = PurposeList.objects.get(owner=ada.profile, title="Classroom management")
    assert Follow.objects.filter(follower=ada.profile, followee=katherine).exists()
    assert classroom.memberships.filter(profile=katherine).exists()
    screenshot(page, "graph-profile-following")

    # Connect with Emmy.
    page.goto("/@emmy")
    page.get_by_role("button", name="Connect", exact=True).click()
    expect(page.locator(f"#rel-{emmy.profile.pk}")).to_contain_text("Connection requested")

    # Block Pablo.
    page.goto("/@pablo")
    control = page.locator(f"#rel-{pablo.pk}")
    control.get_by_text("Mute or block").click()
    control.get_by_role("button", name="Block", exact=True).click()
    expect(page.locator(f"#rel-{pablo.pk}")).to_contain_text("Unblock")
    assert Block.objects.filter(blocker=ada.profile, blocked=pablo).exists()

    # Mute Grace for an hour.
    page.goto("/@grace")
    control = page.locator(f"#rel-{grace.pk}")
    control.get_by_text("Mute or block").click()
    control.get_by_label("Mute for").select_option(label="1 hour")
    control.get_by_role("button", name="Mute", exact=True).click()
    expect(page.locator(f"#rel-{grace.pk}")).to_contain_text("Unmute")
    mute = Mute.objects.get(muter=ada.profile, muted=grace)
    assert mute.expires_at is not None
    assert mute.expires_at - timezone.now() <= timedelta(hours=1)

    _look(page, "/network/following", "graph-following")
    expect(page.get_by_label("Classroom management")).to_be_checked()
    _look(page, "/network/followers", "graph-followers-empty")
    _look(page, "/network/connections", "graph-connections-outgoing")
    _look(page, "/network/lists", "graph-lists")
    _look(page, f"/network/lists/{classroom.pk}", "graph-list-detail")
    expect(page.locator("main")).to_contain_text("Katherine Johnson")
    _look(page, "/settings/blocks", "graph-blocks")
    expect(page.locator("main")).to_contain_text("Pablo Troll")
    _look(page, "/settings/mutes", "graph-mutes")
    expect(page.locator("main")).to_contain_text("Grace Hopper")
    _look(page, "/@katherine/followers", "graph-profile-followers")

    # Emmy accepts: they now follow each other and Ada sees "Connected".
    sign_in(emmy)
    _look(page, "/network/connections", "graph-connections-incoming")
    page.get_by_role("button", name="Accept connection").click()
    expect(page.locator(".messages")).to_contain_text("You are now connected with Ada Lovelace")
    assert Connection.objects.get().state == "accepted"
    assert Follow.objects.filter(follower=emmy.profile, followee=ada.profile).exists()
    _look(page, "/network/connections", "graph-connections")
    _look(page, "/network/followers", "graph-followers")
    sign_in(ada)
    page.goto("/@emmy")
    expect(page.locator(f"#rel-{emmy.profile.pk}")).to_contain_text("Connected")


def test_a_locked_teacher_approves_a_follow_request(page, sign_in):
    lin = _teacher("lin", "Lin Locked")
    privacy_update(profile=lin.profile, is_locked=True)
    ada = _teacher("ada", "Ada Lovelace")
    follow_create(actor=ada.profile, target=lin.profile)
    sign_in(lin)
    _look(page, "/network/requests", "graph-requests")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".messages")).to_contain_text("Ada Lovelace now follows you")
    assert Follow.objects.filter(follower=ada.profile, followee=lin.profile).exists()


def test_anonymous_visitors_are_asked_to_sign_in(page):
    _teacher("katherine", "Katherine Johnson")
    page.goto("/@katherine")
    expect(page.get_by_role("link", name="Sign in to follow")).to_be_visible()
