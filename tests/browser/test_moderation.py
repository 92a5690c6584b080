"""Moderation in a real browser, the issue's "Done when" path: an administrator adds three
rules; a teacher reports a post under one of them; a moderator opens the report from the
queue and removes the post with a note; the post is gone; the administrator finds the
removal in the audit log. Every page is screenshotted and checked with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from staffroom.accounts.models import StaffRole, User
from staffroom.moderation.models import ModerationAction, Report, Rule
from staffroom.posts.models import Status
from staffroom.posts.services import PostText, status_create
from staffroom.profiles.professional import onboarding_complete
from tests.browser.conftest import check_accessibility, screenshot
from tests.factories import make_user

pytestmark = pytest.mark.browser

RULES = [
    "Be kind to colleagues",
    "No advertising or selling",
    "Protect pupils' privacy",
]


def _teacher(handle: str, name: str, role: str = StaffRole.MEMBER) -> User:
    user = make_user(handle=handle, display_name=name)
    onboarding_complete(profile=user.profile)
    if role != StaffRole.MEMBER:
        user.role = role
        user.is_staff = role == StaffRole.ADMIN
        user.save(update_fields=["role", "is_staff"])
    return user


def _check(page, name: str) -> None:
    screenshot(page, name)
    check_accessibility(page, name)


def test_an_advert_is_reported_removed_with_a_note_and_logged(page, sign_in):
    admin = _teacher("principal", "Pat Principal", StaffRole.ADMIN)
    moderator = _teacher("modmo", "Mo Moderator", StaffRole.MODERATOR)
    ada = _teacher("ada", "Ada Lovelace")
    bo = _teacher("bo", "Bo Seller")
    advert = status_create(
        author=bo.profile, draft=PostText(text="Buy my worksheet bundle, 50% off today!")
    )

    # The administrator adds three rules.
    sign_in(admin)
    page.goto("/moderation/rules")
    expect(page.get_by_text("No rules yet.")).to_be_visible()
    _check(page, "moderation-rules-empty")
    for text in RULES:
        page.get_by_label("Rule", exact=True).fill(text)
        page.get_by_role("button", name="Add the rule").click()
        expect(page.get_by_text("The rule is added.")).to_be_visible()
    expect(page.locator("ol li")).to_have_count(3)
    assert list(Rule.objects.values_list("text", flat=True)) == RULES
    _check(page, "moderation-rules")

    page.goto("/about")
    expect(page.get_by_text("No advertising or selling")).to_be_visible()
    _check(page, "about")

    # A teacher reports the advert under the second rule.
    sign_in(ada)
    page.goto(f"/@bo/{advert.pk}")
    page.locator(f"#post-{advert.pk}").get_by_role("link", name="Report").click()
    expect(page.get_by_role("heading", name="Report @bo")).to_be_visible()
    expect(page.get_by_label("Buy my worksheet bundle", exact=False)).to_be_checked()
    page.get_by_label("Spam").check()
    page.get_by_label("No advertising or selling").check()
    page.get_by_label("Anything the moderators should know?").fill("Third advert this week.")
    _check(page, "moderation-report-form")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("heading", name="Thank you for your report")).to_be_visible()
    expect(page.get_by_text("never told who reported them")).to_be_visible()
    _check(page, "moderation-report-sent")
    report = Report.objects.get()

    # A moderator finds it in the queue and removes the post with a note.
    sign_in(moderator)
    page.goto("/home")
    page.get_by_role("link", name="Moderation (1 open)").click()
    expect(page.get_by_role("heading", name="Open reports")).to_be_visible()
    _check(page, "moderation-queue")
    page.get_by_role("link", name="Report on @bo").click()
    expect(page.get_by_text("Third advert this week.")).to_be_visible()
    _check(page, "moderation-report")
    remove = page.locator("form", has=page.get_by_role("button", name="Remove this post"))
    remove.get_by_label("Note to the person").fill("Adverts break rule 2.")
    remove.get_by_role("button", name="Remove this post").click()
    expect(page.get_by_text("The post is removed")).to_be_visible()
    expect(page.get_by_text("Removed by the moderators")).to_be_visible()
    _check(page, "moderation-report-resolved")
    assert Status.objects.get(pk=advert.pk).removed_at is not None
    assert not Report.objects.get(pk=report.pk).is_open
    page.goto("/moderation")
    expect(page.get_by_text("No open reports")).to_be_visible()

    # The post is gone for the reporter.
    sign_in(ada)
    response = page.goto(f"/@bo/{advert.pk}")
    assert response is not None
    assert response.status == 404
    page.goto("/@bo")
    expect(page.get_by_text("Buy my worksheet bundle")).to_have_count(0)
    page.goto("/settings/reports")
    expect(page.get_by_text("Handled by a moderator.")).to_be_visible()
    _check(page, "moderation-my-reports")

    # Its author reads the note, not who reported.
    sign_in(bo)
    page.goto("/settings/moderation")
    expect(page.get_by_text("Adverts break rule 2.")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("ada")
    _check(page, "moderation-my-notices")

    # The administrator sees the removal in the audit log.
    sign_in(admin)
    page.goto("/moderation/audit")
    page.get_by_label("Kind of action").select_option("status_remove")
    page.get_by_role("button", name="Filter").click()
    row = page.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Removed a post")
    expect(row).to_contain_text("@modmo")
    expect(row).to_contain_text("Adverts break rule 2.")
    _check(page, "moderation-audit")
    assert ModerationAction.objects.filter(kind="status_remove").count() == 1

    page.goto("/moderation/roles")
    expect(page.get_by_role("link", name="@modmo")).to_be_visible()
    _check(page, "moderation-roles")
