"""Feeds in a real browser: a teacher who follows colleagues and files one under a purpose
list reads home (with a "from educators like you" item) and the purpose feed, sees new posts
announced by the poll, follows a suggested educator; the local timeline is open to
visitors. Each page is screenshotted and checked with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from staffroom.accounts.models import User
from staffroom.graph.models import Follow
from staffroom.graph.services import follow_create, purpose_list_add_accounts, purpose_list_create
from staffroom.posts.models import Visibility
from staffroom.posts.services import PostText, status_create
from staffroom.profiles.professional import (
    ProfessionalChanges,
    onboarding_complete,
    professional_update,
)
from tests.browser.conftest import check_accessibility, screenshot
from tests.factories import make_user

pytestmark = pytest.mark.browser


def _teacher(handle: str, name: str, subjects: list[str]) -> User:
    user = make_user(handle=handle, display_name=name)
    onboarding_complete(profile=user.profile)
    professional_update(profile=user.profile, changes=ProfessionalChanges(subjects=subjects))
    return user


def _post(user: User, text: str, visibility: str = Visibility.PUBLIC) -> None:
    status_create(author=user.profile, draft=PostText(text=text), visibility=visibility)


def test_home_and_purpose_feed_with_a_suggested_educator(page, sign_in, run_jobs):
    ada = _teacher("ada", "Ada Lovelace", ["algebra"])
    bo = _teacher("bo", "Bo Diddley", ["geometry"])
    cy = _teacher("cy", "Cy Young", ["biology"])
    di = _teacher("di", "Di Fermat", ["algebra"])
    follow_create(actor=ada.profile, target=bo.profile)
    follow_create(actor=ada.profile, target=cy.profile)
    maths = purpose_list_create(actor=ada.profile, title="Math resources", purpose="resources")
    purpose_list_add_accounts(actor=ada.profile, list_id=maths.pk, profile_ids=[bo.profile.pk])
    _post(bo, "Tangram puzzles make a great geometry starter. #geometry")
    _post(cy, "Our seedlings came up overnight!", Visibility.FOLLOWERS)
    _post(bo, "Free printable protractors for Year 7.")
    _post(di, "Balance scales make equations click for my Year 8s.")
    run_jobs()

    page.clock.install()
    sign_in(ada.profile.user)
    page.goto("/home")
    feed = page.locator(".home-feed")
    expect(feed.get_by_text("Tangram puzzles make a great geometry starter.")).to_be_visible()
    expect(feed.get_by_text("Our seedlings came up overnight!")).to_be_visible()
    suggested = feed.locator(".suggested")
    expect(suggested).to_contain_text("From educators like you")
    expect(suggested).to_contain_text("Teaches Algebra, like you")
    expect(suggested).to_contain_text("Balance scales make equations click")
    screenshot(page, "feeds-home")
    check_accessibility(page, "feeds-home")

    # A new post is announced by the poll (every 30 seconds) without a reload.
    _post(cy, "Science fair sign-ups are open.")
    run_jobs()
    page.clock.fast_forward("00:31")
    announce = page.locator(".feed-new")
    expect(announce).to_have_attribute("aria-live", "polite")
    expect(announce.get_by_role("link", name="1 new post — show")).to_be_visible()
    announce.get_by_role("link", name="1 new post — show").click()
    expect(feed.get_by_text("Science fair sign-ups are open.")).to_be_visible()

    # Follow the suggested educator straight from the card.
    feed.locator(".suggested").get_by_role("button", name="Follow Di Fermat").click()
    expect(page.get_by_text("You follow Di Fermat.")).to_be_visible()
    assert Follow.objects.filter(follower=ada.profile, followee=di.profile).exists()

    # The purpose feed, reached from "Your feeds".
    page.goto("/home")
    page.get_by_role("navigation", name="Your feeds").get_by_role(
        "link", name="Math resources"
    ).click()
    expect(page.get_by_role("heading", name="Math resources", level=1)).to_be_visible()
    expect(page.get_by_text("Free printable protractors for Year 7.")).to_be_visible()
    expect(page.get_by_text("Tangram puzzles make a great geometry starter.")).to_be_visible()
    expect(page.get_by_text("Science fair sign-ups are open.")).to_have_count(0)
    expect(page.get_by_text("Our seedlings came up overnight!")).to_have_count(0)
    screenshot(page, "feeds-list")
    check_accessibility(page, "feeds-list")


def test_local_timeline_is_open_to_visitors(page):
    ada = _teacher("ada", "Ada Lovelace", ["algebra"])
    _post(ada, "Open invitation: our maths club meets on Thursdays. #mathclub")
    _post(ada, "Only my followers see this.", Visibility.FOLLOWERS)
    page.goto("/local")
    expect(page.get_by_role("heading", name="Local", level=1)).to_be_visible()
    expect(page.get_by_text("Open invitation: our maths club meets on Thursdays.")).to_be_visible()
    expect(page.get_by_text("Only my followers see this.")).to_have_count(0)
    screenshot(page, "feeds-local")
    check_accessibility(page, "feeds-local")
