"""Scheduled posts in a real browser: schedule a post from the composer in the teacher's
time zone, find it on Scheduled posts, move it, cancel it; the pages are screenshotted and
checked with axe."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from staffroom.posts.models import Status
from staffroom.profiles.models import Profile
from staffroom.profiles.professional import onboarding_complete
from staffroom.scheduling.models import ScheduledStatus
from tests.browser.conftest import check_accessibility, screenshot
from tests.factories import make_user

pytestmark = pytest.mark.browser


def test_a_teacher_schedules_a_post_moves_it_and_cancels_it(page, sign_in):
    ada = make_user(handle="ada", display_name="Ada Lovelace")
    onboarding_complete(profile=ada.profile)
    Profile.objects.filter(pk=ada.profile.pk).update(timezone="UTC")
    sign_in(ada)

    page.goto("/scheduled")
    expect(page.get_by_text("You have no scheduled posts.")).to_be_visible()
    check_accessibility(page, "scheduling-empty")

    page.goto("/compose")
    page.get_by_label("Your post").fill("Monday starter: estimate 3/8 of 40")
    when = (timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    page.get_by_label("Schedule for later").fill(when.strftime("%Y-%m-%dT%H:%M"))
    check_accessibility(page, "scheduling-composer")
    page.get_by_role("button", name="Publish").click()

    expect(page.get_by_role("heading", name="Scheduled posts", level=1)).to_be_visible()
    expect(page.get_by_text("Your post is scheduled for")).to_be_visible()
    expect(page.get_by_text("Monday starter: estimate 3/8 of 40")).to_be_visible()
    check_accessibility(page, "scheduling-list")
    screenshot(page, "scheduling-list")
    row = ScheduledStatus.objects.get(account=ada.profile)
    assert row.scheduled_at == when
    assert not Status.objects.exists()

    later = when + timedelta(days=1, hours=2)
    page.get_by_label("New date and time").fill(later.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Change time").click()
    expect(page.get_by_text("Your post will be published on")).to_be_visible()
    row.refresh_from_db()
    assert row.scheduled_at == later

    page.get_by_label("New date and time").fill(timezone.now().strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Change time").click()
    expect(page.get_by_text("at least 5 minutes in the future")).to_be_visible()
    check_accessibility(page, "scheduling-list-error")

    page.get_by_role("button", name="Cancel this post").click()
    expect(page.get_by_text("Your scheduled post is cancelled")).to_be_visible()
    expect(page.get_by_text("You have no scheduled posts.")).to_be_visible()
    assert not ScheduledStatus.objects.exists()
