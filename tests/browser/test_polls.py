"""Polls in a real browser: a teacher asks a poll from the composer on /home, a colleague
votes on it and sees the results; both pages pass axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from staffroom.accounts.models import User
from staffroom.polls.models import Poll, PollVote
from staffroom.profiles.professional import onboarding_complete
from tests.browser.conftest import check_accessibility, screenshot
from tests.factories import make_user

pytestmark = pytest.mark.browser


def _teacher(handle: str, name: str) -> User:
    user = make_user(handle=handle, display_name=name)
    onboarding_complete(profile=user.profile)
    return user


def test_a_poll_is_asked_from_the_composer_and_voted_on(page, sign_in):
    ada = _teacher("ada", "Ada Lovelace")
    bo = _teacher("bo", "Bo Diddley")

    sign_in(ada)
    page.goto("/home")
    composer = page.locator("form.composer")
    composer.get_by_label("Your post").fill("How do you collect exit tickets? #assessment")
    composer.get_by_text("Add a poll").click()
    composer.get_by_label("Answer 1").fill("Paper slips")
    composer.get_by_label("Answer 2").fill("Mini whiteboards")
    composer.get_by_label("Answer 3").fill("An online form")
    composer.get_by_label("Poll runs for").select_option(label="3 days")
    screenshot(page, "polls-composer")
    check_accessibility(page, "polls-composer")
    composer.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Your post is published.")).to_be_visible()
    poll = Poll.objects.get()
    assert list(poll.options.values_list("title", flat=True)) == [
        "Paper slips",
        "Mini whiteboards",
        "An online form",
    ]
    # The author sees the results (no vote form on their own poll).
    expect(page.get_by_text("0 people voted")).to_be_visible()

    sign_in(bo)
    page.goto(f"/@ada/{poll.status_id}")
    post = page.locator(f"#post-{poll.status_id}")
    expect(post.get_by_role("group", name="Choose one answer")).to_be_visible()
    post.get_by_label("Mini whiteboards").check()
    post.get_by_role("button", name="Vote").click()
    expect(page.get_by_text("Your vote is counted.")).to_be_visible()
    post = page.locator(f"#post-{poll.status_id}")
    expect(post).to_contain_text("100%")
    expect(post).to_contain_text("your vote")
    expect(post).to_contain_text("1 person voted")
    assert PollVote.objects.filter(account=bo.profile, choice=1).exists()
    screenshot(page, "polls-results")
    check_accessibility(page, "polls-results")
