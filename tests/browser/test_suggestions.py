"""Who to follow in a real browser: a new teacher finishes onboarding on "Grow your PLN",
sees explained suggestions, follows one into a purpose list, says "Not for me" to another
(gone, and still gone after a reload), then follows a "Grade 7 math" starter pack into a
new purpose list in one click; a profile page shows educators like its owner; the "Best
practices" tab puts who posts about the teacher's practice first. /grow, a pack page and
the pack form are screenshotted and checked with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from staffroom.graph.models import Follow, PurposeList, PurposeListMember
from staffroom.posts.services import PostText, status_create
from staffroom.profiles.models import Profile
from staffroom.profiles.professional import ProfessionalChanges, professional_update
from staffroom.recommendations.models import Dismissal
from staffroom.recommendations.services import PackFields, starter_pack_create
from staffroom.recommendations.snapshot import snapshot_build
from tests.browser.conftest import check_accessibility, screenshot
from tests.factories import make_user
from tests.recommendations.community import build_community

pytestmark = pytest.mark.browser


def _onboard_as_grade7_math_teacher(page) -> None:
    page.goto("/home")
    page.wait_for_url("**/onboarding")
    page.get_by_label("Resources").check()
    page.get_by_label("Best practices").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/onboarding/practice")
    page.get_by_label("Your role").select_option("teacher")
    page.get_by_role("group", name="Mathematics").get_by_label("Mathematics").check()
    page.get_by_label("Grade 7", exact=True).check()
    page.get_by_label("Inquiry-based learning").check()
    page.get_by_role("button", name="Find colleagues").click()


def test_a_new_teacher_grows_a_pln_from_explained_suggestions_and_a_starter_pack(page, sign_in):
    community = build_community()
    pack = starter_pack_create(
        actor=community.math7[0],
        fields=PackFields(
            title="Grade 7 math",
            description="Colleagues who teach ratios and proportion well.",
            subjects=["math"],
            grade_bands=["6-8"],
            account_ids=[p.pk for p in community.math7[1:8]],
        ),
    )
    snapshot_build()
    sign_in(make_user(handle="ada", display_name="Ada Lovelace"))

    _onboard_as_grade7_math_teacher(page)
    page.wait_for_url("**/grow")
    expect(page.get_by_role("heading", name="Grow your PLN", level=1)).to_be_visible()
    cards = page.locator("li.suggestion")
    expect(cards.first).to_contain_text("Teaches Mathematics in Grade 7, like you")
    cards.first.get_by_text("Why?").click()
    expect(cards.first.get_by_role("list", name="Why we suggest them")).to_be_visible()
    screenshot(page, "grow")
    check_accessibility(page, "grow")
    ada = Profile.objects.get(handle="ada")

    # Follow the first one into a purpose list (made from the goals: ada has none yet).
    first = cards.nth(0)
    first_handle = first.locator(".handle").inner_text().split("@")[1]
    first.get_by_label("Purpose list").select_option(index=0)
    chosen_title = first.get_by_label("Purpose list").input_value()
    first.get_by_role("button", name="Follow into list").click()
    expect(first.get_by_text("Following", exact=True)).to_be_visible()
    followed = Profile.objects.get(handle=first_handle)
    assert Follow.objects.filter(follower=ada, followee=followed).exists()
    made = PurposeList.objects.get(owner=ada, title=chosen_title)
    assert PurposeListMember.objects.filter(list=made, profile=followed).exists()

    # "Not for me" on the second: it is replaced in place, and stays gone after a reload.
    second = cards.nth(1)
    second_handle = second.locator(".handle").inner_text().split("@")[1]
    second.get_by_role("button", name="Not for me").click()
    expect(page.get_by_text("suggested again.")).to_be_visible()
    expect(page.get_by_role("button", name="Undo")).to_be_visible()
    assert Dismissal.objects.filter(profile=ada, dismissed__handle=second_handle).exists()
    screenshot(page, "grow-dismissed")
    page.reload()
    expect(page.locator("li.suggestion .handle", has_text=f"@{second_handle}@")).to_have_count(0)
    expect(page.locator("li.suggestion .handle", has_text=f"@{first_handle}@")).to_have_count(0)

    # The pack offered for grade 7 math: follow everyone into a new purpose list.
    page.get_by_role("region", name="Starter packs for you").get_by_role(
        "link", name="Grade 7 math"
    ).click()
    page.wait_for_url(f"**/packs/{pack.pk}")
    expect(page.get_by_role("heading", name="Grade 7 math", level=1)).to_be_visible()
    screenshot(page, "starter-pack")
    check_accessibility(page, "starter-pack")
    page.get_by_label("Name").fill("Grade 7 math colleagues")
    page.get_by_label("Purpose", exact=True).select_option("practices")
    form = page.locator("form.follow-all-form")
    # While htmx waits for the server the form says it is busy (web/staffroom.js).
    page.evaluate(
        """() => {
          const form = document.querySelector("form.follow-all-form");
          const detail = {bubbles: true, detail: {elt: form}};
          form.dispatchEvent(new CustomEvent("htmx:beforeRequest", detail));
        }"""
    )
    expect(form).to_have_attribute("aria-busy", "true")
    page.get_by_role("button", name="Follow all 7 accounts").click()
    report = page.locator("#follow-result")
    expect(report).to_contain_text("Followed:")
    expect(report).to_contain_text("Open the list")
    expect(form).not_to_have_attribute("aria-busy", "true")
    # The members' cards were sent again with the report: each now says "Following".
    expect(page.locator("#pack-members .badge", has_text="Following")).to_have_count(7)
    # The progress line fades out (200 ms) once the answer is in: check the settled page.
    expect(page.locator("#follow-progress")).to_have_css("opacity", "0")
    screenshot(page, "starter-pack-followed")
    check_accessibility(page, "starter-pack-followed")
    colleagues = PurposeList.objects.get(owner=ada, title="Grade 7 math colleagues")
    assert colleagues.purpose == "practices"
    assert PurposeListMember.objects.filter(list=colleagues).count() == 7
    assert Follow.objects.filter(follower=ada).count() >= 7

    # A profile page loads "Educators like <name>" after the page.
    page.goto("/@m7_2")
    similar = page.get_by_role("region", name="Educators like m7_2")
    expect(similar.locator("li.profile-card").first).to_be_visible()
    expect(similar).not_to_contain_text("@m7_2@")
    check_accessibility(page, "profile-similar")

    # The form to make a pack.
    page.goto("/packs/new")
    expect(page.get_by_role("heading", name="Make a starter pack", level=1)).to_be_visible()
    screenshot(page, "starter-pack-form")
    check_accessibility(page, "starter-pack-form")


def test_the_best_practices_tab_puts_who_posts_about_your_practice_first(page, sign_in):
    community = build_community()
    poster = community.math7[2]  # lists no practices, but posts about inquiry
    for week in range(3):
        status_create(
            author=poster,
            draft=PostText(text=f"Inquiry-based learning, week {week}: students asked first"),
        )
    snapshot_build()
    sign_in(make_user(handle="ada", display_name="Ada Lovelace"))
    ada = Profile.objects.get(handle="ada")
    professional_update(
        profile=ada,
        changes=ProfessionalChanges(
            subjects=["math"], grades=["g7"], practices=["inquiry-based-learning"]
        ),
    )

    page.goto("/grow")
    page.get_by_role("navigation", name="Suggestions for a purpose").get_by_role(
        "link", name="Best practices"
    ).click()
    page.wait_for_url("**/grow?purpose=practices")
    expect(page.get_by_text("Educators who post about the practices you work on")).to_be_visible()
    first = page.locator("li.suggestion").first
    expect(first.locator(".handle")).to_contain_text(f"@{poster.handle}@")
    expect(first).to_contain_text("Posted about Inquiry-based learning 3 times")
    screenshot(page, "grow-practices")
    check_accessibility(page, "grow-practices")
