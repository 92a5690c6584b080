"""The "Grow your PLN" and starter pack pages: suggestions re-ranked by purpose, "Not for
me" with its undo, following into a purpose list, and curating and following packs."""

from __future__ import annotations

import re

import pytest

from staffroom.graph.models import Follow, PurposeList, PurposeListMember
from staffroom.graph.services import block_create, follow_create
from staffroom.graph.services.lists import purpose_list_create
from staffroom.recommendations.models import Dismissal, StarterPack
from staffroom.recommendations.services import PackFields, starter_pack_create
from staffroom.recommendations.snapshot import snapshot_build
from tests.conftest import Shared
from tests.factories import make_profile
from tests.recommendations.community import Community

pytestmark = pytest.mark.django_db


def test_grow_empty_state_links_to_profile_and_directory(client_for, db):
    alone = make_profile("alone", subjects=["math"], grades=["g7"])
    snapshot_build()
    page = client_for(alone.user).get("/grow").text
    assert "No suggestions right now." in page
    assert 'href="/settings/profile"' in page
    assert 'href="/directory?subject=math&amp;grade=g7"' in page


# The tests below share one community, built once for them all; it stays until the
# module's last test, so a test that needs a database without it must come before them.


@pytest.fixture
def community(built: Shared[Community], db) -> Community:
    return built.for_test()


@pytest.fixture
def newcomer(community):
    return make_profile(
        "newcomer", subjects=["math"], grades=["g7"], practices=["inquiry-based-learning"]
    )


def card_handles(html: str) -> list[str]:
    """The handles of the suggestion cards, in page order."""
    return re.findall(r'<p class="handle">@([\w.]+)@', html.split('id="packs-heading"')[0])


def test_grow_needs_sign_in(client):
    response = client.get("/grow")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login")


def test_grow_shows_explained_suggestions_with_purpose_lists(client_for, newcomer):
    purpose_list_create(actor=newcomer, title="Math mentors", purpose="mentorship")
    response = client_for(newcomer.user).get("/grow")
    assert response.status_code == 200
    page = response.text
    handles = card_handles(page)
    assert handles[0].startswith("m7_"), handles
    assert "Teaches Mathematics in Grade 7, like you" in page
    assert "<strong>Like you:</strong>" in page  # a reason's kind, in words
    assert "similar_profile" not in page
    assert "Math mentors" in page  # the "follow into a list" select
    assert "Add your subjects and grades" not in page


def test_grow_purpose_filter_changes_the_order(client_for, newcomer):
    client = client_for(newcomer.user)
    everything = card_handles(client.get("/grow").text)
    inspiring = client.get("/grow?purpose=inspiration")
    assert inspiring.status_code == 200
    assert 'aria-current="page">Inspiration<' in inspiring.text
    inspired = card_handles(inspiring.text)
    assert inspired[0].startswith("star_"), inspired
    assert everything[0].startswith("m7_")
    assert inspired != everything


def test_grow_says_what_the_chosen_purpose_favours(client_for, newcomer):
    client = client_for(newcomer.user)
    page = client.get("/grow?purpose=mentorship").text
    assert "Experienced educators who offer mentorship." in page
    assert "Experienced educators who offer mentorship." not in client.get("/grow").text


def test_grow_practices_asks_for_practices_only_when_the_profile_lists_none(
    client_for, newcomer, community
):
    no_practices = make_profile("no_practices", subjects=["math"], grades=["g7"])
    asking = client_for(no_practices.user).get("/grow?purpose=practices").text
    assert "Your profile lists no practices yet" in asking
    assert "Add the practices you work on" in asking
    listing = client_for(newcomer.user).get("/grow?purpose=practices").text
    assert "Educators who post about the practices you work on" in listing
    assert "Your profile lists no practices yet" not in listing


def test_grow_offers_the_tabs_purpose_list_first_for_follow_into(client_for, newcomer):
    purpose_list_create(actor=newcomer, title="Resources", purpose="resources")
    purpose_list_create(actor=newcomer, title="Mentors", purpose="mentorship")
    client = client_for(newcomer.user)

    def first_option(url: str) -> str:
        select = client.get(url).text.split('name="purposes"')[1]
        option = re.search(r"<option [^>]*>([^<]+)</option>", select)
        assert option is not None
        return option[1]

    assert first_option("/grow?purpose=mentorship") == "Mentors"
    assert first_option("/grow?purpose=resources") == "Resources"


def test_grow_unknown_purpose_is_a_clear_400(client_for, newcomer):
    response = client_for(newcomer.user).get("/grow?purpose=gossip")
    assert response.status_code == 400
    assert "Purpose must be one of resources, practices" in response.text


def test_grow_asks_for_subjects_and_grades_when_the_profile_has_none(client_for, community):
    blank = make_profile("blank")
    page = client_for(blank.user).get("/grow").text
    assert "Add your subjects and grades for better suggestions." in page


def test_not_for_me_removes_the_suggestion_and_undo_restores_it(client_for, newcomer):
    client = client_for(newcomer.user)
    first = card_handles(client.get("/grow").text)[0]
    target = newcomer.__class__.objects.get(handle=first)

    response = client.post(f"/grow/accounts/{target.pk}/dismiss", {"purpose": ""})
    assert response.status_code == 302
    assert response["Location"] == f"/grow?dismissed={target.pk}"
    page = client.get(response["Location"]).text
    assert first not in card_handles(page)
    assert "You will not see" in page
    assert "Undo" in page
    assert Dismissal.objects.filter(profile=newcomer, dismissed=target).exists()

    response = client.post(f"/grow/accounts/{target.pk}/undismiss", {"purpose": ""})
    assert response.status_code == 302
    assert first in card_handles(client.get("/grow").text)
    assert not Dismissal.objects.filter(profile=newcomer).exists()


def test_not_for_me_with_htmx_swaps_the_card_and_undo_brings_it_back(client_for, newcomer):
    client = client_for(newcomer.user)
    first = card_handles(client.get("/grow").text)[0]
    target = newcomer.__class__.objects.get(handle=first)
    htmx = {"HTTP_HX_REQUEST": "true"}
    response = client.post(f"/grow/accounts/{target.pk}/dismiss", {}, **htmx)
    assert response.status_code == 200
    assert f'id="suggestion-{target.pk}"' in response.text
    assert "Undo" in response.text
    response = client.post(f"/grow/accounts/{target.pk}/undismiss", {}, **htmx)
    assert f"@{first}@" in response.text
    assert "Not for me" in response.text


def test_follow_into_a_list_from_grow_puts_the_account_in_the_list(client_for, newcomer):
    mentors = purpose_list_create(actor=newcomer, title="Math mentors", purpose="mentorship")
    client = client_for(newcomer.user)
    first = card_handles(client.get("/grow?purpose=mentorship").text)[0]
    target = newcomer.__class__.objects.get(handle=first)
    page = client.get("/grow?purpose=mentorship").text
    assert f'action="/network/accounts/{target.pk}/follow"' in page
    response = client.post(
        f"/network/accounts/{target.pk}/follow",
        {"purposes": str(mentors.pk), "next": "/grow?purpose=mentorship"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/grow?purpose=mentorship"
    assert Follow.objects.filter(follower=newcomer, followee=target).exists()
    assert PurposeListMember.objects.filter(list=mentors, profile=target).exists()
    assert first not in card_handles(client.get("/grow?purpose=mentorship").text)


def test_grow_offers_packs_and_saves_a_proposal_as_a_pack(client_for, newcomer, community):
    curated = starter_pack_create(
        actor=community.math7[0],
        fields=PackFields(title="Middle school maths", subjects=["math"], grade_bands=["6-8"]),
    )
    client = client_for(newcomer.user)
    page = client.get("/grow").text
    assert "Middle school maths" in page
    assert f'href="/packs/{curated.pk}"' in page
    assert "Proposed: Grades 6-8 Mathematics" in page
    response = client.post("/grow/proposals", {"subject": "math", "band": "6-8"})
    saved = StarterPack.objects.get(curator=newcomer)
    assert response["Location"] == f"/packs/{saved.pk}/edit"
    assert saved.title == "Grades 6-8 Mathematics"
    assert saved.memberships.count() >= 3
    assert client.post("/grow/proposals", {"subject": "alchemy", "band": "6-8"}).status_code == 404


# --- Starter packs -------------------------------------------------------------------------


@pytest.fixture
def pack(community) -> StarterPack:
    return starter_pack_create(
        actor=community.math7[0],
        fields=PackFields(
            title="Grade 7 math",
            description="People who teach ratios well.",
            subjects=["math"],
            grade_bands=["6-8"],
            account_ids=[p.pk for p in community.math7[1:6]],
        ),
    )


def test_anonymous_visitors_see_a_pack_and_are_asked_to_sign_in(client, pack):
    response = client.get(f"/packs/{pack.pk}")
    assert response.status_code == 200
    assert "Grade 7 math" in response.text
    assert "People who teach ratios well." in response.text
    assert "@m7_1@" in response.text
    assert "Sign in to follow" in response.text
    assert "Follow all 5 accounts" in response.text
    assert client.post(f"/packs/{pack.pk}/follow").status_code == 302  # to sign in


def test_unknown_pack_is_a_404(client, client_for, newcomer):
    assert client.get("/packs/999999").status_code == 404
    assert client_for(newcomer.user).get("/packs/999999/edit").status_code == 404


def test_pack_list_filters_by_subject_and_band(client, pack, community):
    starter_pack_create(
        actor=community.science10[0],
        fields=PackFields(title="Physics people", subjects=["physics"], grade_bands=["9-12"]),
    )
    everything = client.get("/packs").text
    assert "Grade 7 math" in everything
    assert "Physics people" in everything
    math = client.get("/packs?subject=math").text
    assert "Grade 7 math" in math
    assert "Physics people" not in math
    high = client.get("/packs?band=9-12").text
    assert "Physics people" in high
    assert "Grade 7 math" not in high
    assert client.get("/packs?band=college").status_code == 400


def test_pages_render_for_a_signed_in_teacher(client_for, newcomer, pack):
    client = client_for(newcomer.user)
    for path in ("/grow", "/packs", "/packs/new", f"/packs/{pack.pk}"):
        assert client.get(path).status_code == 200, path


def test_follow_all_into_a_new_list_reports_each_account(client_for, newcomer, pack, community):
    locked = community.math7[5]
    locked.is_locked = True
    locked.save(update_fields=["is_locked"])
    follow_create(actor=newcomer, target=community.math7[1])
    block_create(actor=community.math7[2], target=newcomer)
    response = client_for(newcomer.user).post(
        f"/packs/{pack.pk}/follow",
        {"list_id": "", "new_list_title": "Grade 7 math", "new_list_purpose": "practices"},
    )
    assert response.status_code == 200
    page = response.text
    assert "Followed: <strong>2</strong>" in page
    assert "Request sent: <strong>1</strong>" in page
    assert "Already following: <strong>1</strong>" in page
    assert "Unavailable: <strong>1</strong>" in page
    made = PurposeList.objects.get(owner=newcomer, title="Grade 7 math")
    assert made.purpose == "practices"
    assert f'href="/network/lists/{made.pk}"' in page
    assert PurposeListMember.objects.filter(list=made).count() >= 2


def test_follow_all_into_someone_elses_list_changes_nothing(client_for, newcomer, pack, community):
    theirs = purpose_list_create(actor=community.math7[9], title="Mine", purpose="")
    response = client_for(newcomer.user).post(f"/packs/{pack.pk}/follow", {"list_id": theirs.pk})
    assert response.status_code == 422
    assert "Choose one of your own lists." in response.text
    assert not Follow.objects.filter(follower=newcomer).exists()


def test_pack_create_resolves_handles_and_saves(client_for, newcomer, community):
    response = client_for(newcomer.user).post(
        "/packs/new",
        {
            "title": "Ratio friends",
            "description": "",
            "subjects": ["math"],
            "grade_bands": ["6-8"],
            "accounts": "@m7_2, m7_3\nm7_4",
        },
    )
    saved = StarterPack.objects.get(title="Ratio friends")
    assert response["Location"] == f"/packs/{saved.pk}"
    handles = [m.profile.handle for m in saved.memberships.order_by("position")]
    assert handles == ["m7_2", "m7_3", "m7_4"]


def test_pack_create_with_bad_input_shows_errors_and_writes_nothing(client_for, newcomer):
    client = client_for(newcomer.user)
    response = client.post(
        "/packs/new", {"title": "", "subjects": ["alchemy"], "accounts": "@m7_2 @nobody"}
    )
    assert response.status_code == 422
    assert "This field is required." in response.text
    assert "Nothing was saved" in response.text
    response = client.post("/packs/new", {"title": "Mixed", "accounts": "@m7_2 @nobody @ghost"})
    assert response.status_code == 422
    assert "No account found for @nobody, @ghost." in response.text
    assert not StarterPack.objects.exists()


def test_pack_create_with_151_handles_shows_the_limit(client_for, newcomer):
    handles = "\n".join(f"@someone{n}" for n in range(151))
    response = client_for(newcomer.user).post("/packs/new", {"title": "Huge", "accounts": handles})
    assert response.status_code == 422
    assert "A starter pack holds at most 150 accounts; this one has 151." in response.text
    assert not StarterPack.objects.exists()


def test_editing_or_deleting_someone_elses_pack_is_forbidden(client_for, newcomer, pack):
    client = client_for(newcomer.user)
    assert client.get(f"/packs/{pack.pk}/edit").status_code == 403
    assert client.post(f"/packs/{pack.pk}/edit", {"title": "Mine now"}).status_code == 403
    assert client.post(f"/packs/{pack.pk}/delete").status_code == 403
    pack.refresh_from_db()
    assert pack.title == "Grade 7 math"


def test_the_curator_edits_and_deletes_a_pack(client_for, pack, community):
    client = client_for(community.math7[0].user)
    form = client.get(f"/packs/{pack.pk}/edit").text
    assert "@m7_1\n@m7_2" in form
    response = client.post(
        f"/packs/{pack.pk}/edit",
        {"title": "Grade 7 ratios", "grade_bands": ["6-8"], "accounts": "@m7_3\n@m7_1"},
    )
    assert response["Location"] == f"/packs/{pack.pk}"
    pack.refresh_from_db()
    assert pack.title == "Grade 7 ratios"
    assert [m.profile.handle for m in pack.memberships.order_by("position")] == ["m7_3", "m7_1"]
    assert "Delete “Grade 7 ratios”?" in client.get(f"/packs/{pack.pk}/delete").text
    response = client.post(f"/packs/{pack.pk}/delete")
    assert response["Location"] == "/packs"
    assert not StarterPack.objects.exists()


def test_educators_like_a_teacher_load_after_the_profile_page(client, client_for, newcomer):
    profile_page = client.get("/@m7_2").text
    assert 'hx-get="/grow/like/m7_2"' in profile_page
    assert "Educators like m7_2" in profile_page
    fragment = client.get("/grow/like/m7_2", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    shown = re.findall(r'<p class="handle">@([\w.]+)@', fragment.text)
    assert 1 <= len(shown) <= 5
    assert "m7_2" not in shown
    assert all(handle.startswith("m7_") for handle in shown), shown
    page = client_for(newcomer.user).get("/grow/like/m7_2")
    assert "<h1>Educators like m7_2</h1>" in page.text
    assert client.get("/grow/like/nobody").status_code == 404
