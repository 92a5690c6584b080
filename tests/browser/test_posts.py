"""Posts in a real browser: a followers-only question from the composer, answered,
favourited and bookmarked by a follower; the composer, thread and profile pages are
screenshotted and checked with axe."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import expect

from staffroom.accounts.models import User
from staffroom.graph.services import follow_create
from staffroom.posts.models import Bookmark, Favourite, Status, Visibility
from staffroom.posts.services import PostText, status_create
from staffroom.profiles.professional import onboarding_complete
from tests.browser.conftest import check_accessibility, screenshot
from tests.factories import make_user

pytestmark = pytest.mark.browser


def _teacher(handle: str, name: str) -> User:
    user = make_user(handle=handle, display_name=name)
    onboarding_complete(profile=user.profile)
    return user


def test_a_followers_only_question_is_answered_favourited_and_bookmarked(page, sign_in):
    ada = _teacher("ada", "Ada Lovelace")
    bo = _teacher("bo", "Bo Diddley")
    follow_create(actor=bo.profile, target=ada.profile)

    # Ada asks her followers from the composer on /home.
    sign_in(ada)
    page.goto("/home")
    composer = page.locator("form.composer")
    composer.get_by_label("Your post").fill(
        "How do you run exit tickets in a 40-minute lesson? #assessment"
    )
    composer.get_by_label("Followers only").check()
    expect(composer.get_by_text("pending does not see it")).to_be_visible()
    screenshot(page, "posts-composer")
    check_accessibility(page, "posts-composer")
    composer.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", name="Post by Ada Lovelace")).to_be_visible()
    question = Status.objects.get(account=ada.profile)
    assert question.visibility == Visibility.FOLLOWERS
    thread_url = f"/@ada/{question.pk}"
    expect(page).to_have_url(f"{page.url.split('/@')[0]}{thread_url}")

    # Bo, a follower, opens the thread and replies.
    sign_in(bo)
    page.goto(thread_url)
    expect(page.get_by_text("How do you run exit tickets")).to_be_visible()
    screenshot(page, "posts-thread")
    check_accessibility(page, "posts-thread")
    page.get_by_label("Your reply").fill("@ada Three quick questions on a sticky note, every day.")
    page.get_by_role("button", name="Publish reply").click()
    expect(page.get_by_text("Your post is published.")).to_be_visible()
    reply = Status.objects.get(account=bo.profile)
    assert reply.in_reply_to_id == question.pk

    # Back on the question: favourite and bookmark it (htmx swaps the action bar).
    page.goto(thread_url)
    post = page.locator(f"#post-{question.pk}")
    expect(page.locator(f"#post-{reply.pk}")).to_contain_text("Replying to @ada")
    post.get_by_role("button", name="Favourite", exact=True).click()
    expect(post.get_by_role("button", name="Remove favourite")).to_be_visible()
    expect(post).to_contain_text("1 favourite")
    post.get_by_role("button", name="Bookmark", exact=True).click()
    expect(post.get_by_role("button", name="Remove bookmark")).to_be_visible()
    assert Favourite.objects.filter(account=bo.profile, status=question).exists()
    assert Bookmark.objects.filter(account=bo.profile, status=question).exists()
    screenshot(page, "posts-thread-with-reply")
    check_accessibility(page, "posts-thread-with-reply")

    page.get_by_role("link", name="Bookmarks").click()
    expect(page.get_by_role("heading", name="Bookmarks")).to_be_visible()
    expect(page.get_by_text("How do you run exit tickets")).to_be_visible()
    screenshot(page, "posts-bookmarks")
    check_accessibility(page, "posts-bookmarks")

    page.goto("/@ada")
    expect(page.get_by_text("How do you run exit tickets")).to_be_visible()
    screenshot(page, "posts-profile")
    check_accessibility(page, "posts-profile")

    # Ada pins the question on her own profile.
    sign_in(ada)
    page.goto("/@ada")
    post = page.locator(f"#post-{question.pk}")
    post.get_by_role("button", name="Pin to profile").click()
    expect(post.get_by_role("button", name="Unpin from profile")).to_be_visible()
    expect(post.get_by_role("button", name="Unpin from profile")).to_be_focused()
    page.reload()
    expect(page.locator(f"#post-{question.pk}")).to_contain_text("Pinned")
    screenshot(page, "posts-profile-own")
    check_accessibility(page, "posts-profile-own")


def test_the_action_bar_works_without_javascript(browser, live_server, client):
    """The core path without JavaScript: the form posts, the page reloads with a message."""
    ada = _teacher("ada", "Ada Lovelace")
    bo = _teacher("bo", "Bo Diddley")
    tip = status_create(author=ada.profile, draft=PostText(text="A public tip"))
    client.force_login(bo, backend="staffroom.accounts.backends.EmailOrHandleBackend")
    name = settings.SESSION_COOKIE_NAME
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        context.add_cookies(
            [{"name": name, "value": client.cookies[name].value, "url": live_server.url}]
        )
        page = context.new_page()
        page.goto(f"/@ada/{tip.pk}")
        page.get_by_role("button", name="Reshare", exact=True).click()
        expect(page.get_by_text("You reshared the post.")).to_be_visible()
        expect(page.get_by_role("button", name="Undo reshare")).to_be_visible()
        assert Status.objects.filter(account=bo.profile, reblog_of=tip).exists()
    finally:
        context.close()
