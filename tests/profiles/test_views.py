"""The profile pages: onboarding, profile page, edit, goals, privacy and the directory."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from staffroom.accounts.models import ApprovalState, User
from staffroom.profiles.models import Profile
from staffroom.profiles.professional import (
    privacy_update,
    profile_terms,
)
from staffroom.profiles.services import profile_update
from tests.factories import make_profile, make_remote_profile, make_user

pytestmark = pytest.mark.django_db


def png(name: str = "picture.png", size: tuple[int, int] = (40, 40)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 200, 90)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def stored_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    root: Path = settings.MEDIA_ROOT
    return root


def teacher(handle: str, **changes: Any) -> User:
    user = make_profile(handle, display_name=handle.title(), **changes).user
    assert user is not None
    return user


def fresh(user: User) -> Profile:
    return Profile.objects.get(user=user)


def edit_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "display_name": "Ms. Rivera",
        "note": "I teach **grade 7** math.",
        "role": "teacher",
        "subjects": ["math", "algebra"],
        "grades": ["g7"],
        "practices": ["inquiry-based-learning"],
        "tags": "chess club, Robotics",
        "experience_years": "8",
        "mentorship": "offering",
        "languages": ["en", "es"],
        "timezone": "America/Chicago",
        "link_name_0": "Blog",
        "link_value_0": "https://rivera.example",
    }
    data.update(overrides)
    return data


# --- Onboarding ----------------------------------------------------------------------------


def test_home_sends_a_new_teacher_to_onboarding_once(client_for, user):
    client = client_for(user)
    assert client.get("/home")["Location"] == "/onboarding"
    assert client.get("/home").status_code == 200


def test_home_shows_an_onboarded_teacher_the_completeness_guide(client_for, user):
    client = client_for(user)
    client.post("/onboarding", {"skip": "1"})
    response = client.get("/home")
    assert response.status_code == 200
    assert "Add your subjects: colleagues filter the directory by subject." in response.text


def test_onboarding_pages_require_sign_in(client):
    for path in ("/onboarding", "/onboarding/practice"):
        assert client.get(path)["Location"].startswith("/accounts/login")


def test_onboarding_goals_explain_each_purpose(client_for, user):
    response = client_for(user).get("/onboarding")
    assert response.status_code == 200
    assert "A place to vent and be supported" in response.text
    assert "Quietly following" in response.text
    assert 'name="learning" value="auditory"' in response.text
    assert 'id="id_interaction_none" checked>' in response.text


def test_onboarding_flow_ends_on_grow_your_pln(client_for, user):
    client = client_for(user)
    response = client.post(
        "/onboarding",
        {"purposes": ["resources", "practices"], "interaction": "quiet", "learning": ["visual"]},
    )
    assert response["Location"] == "/onboarding/practice"
    page = client.get("/onboarding/practice").text
    assert "<legend>Mathematics</legend>" in page
    response = client.post(
        "/onboarding/practice",
        {"role": "teacher", "subjects": ["math"], "grades": ["g7", "g8"], "practices": ["sel"]},
    )
    assert response["Location"] == "/grow"
    profile = fresh(user)
    assert profile.onboarded_at is not None
    assert profile.goal_purposes == ["resources", "practices"]
    assert profile.interaction_style == "quiet"
    assert profile_terms(profile)["grade"] == ["g7", "g8"]


@pytest.mark.parametrize("path", ["/onboarding", "/onboarding/practice"])
def test_onboarding_can_be_skipped_from_each_step(client_for, user, path):
    response = client_for(user).post(path, {"skip": "1"})
    assert response["Location"] == "/directory"
    assert fresh(user).onboarded_at is not None


def test_onboarding_refuses_unknown_slugs_and_saves_nothing(client_for, user):
    response = client_for(user).post("/onboarding/practice", {"subjects": ["math", "alchemy"]})
    assert response.status_code == 422
    assert "Nothing was saved" in response.text
    assert profile_terms(fresh(user))["subject"] == []
    assert fresh(user).onboarded_at is None


# --- The profile page ----------------------------------------------------------------------


def test_profile_page_shows_the_professional_profile(client):
    user = teacher(
        "rivera",
        role="teacher",
        subjects=["math"],
        grades=["g7"],
        practices=["sel"],
        experience_years=8,
        mentorship="offering",
    )
    profile_update(
        profile=user.profile,
        note="Hello <script>alert(1)</script> **friends**",
        fields=[{"name": "Blog", "value": "<b>https://rivera.example</b>"}],
    )
    response = client.get("/@rivera")
    assert response.status_code == 200
    page = response.text
    assert "@rivera@" in page
    assert "Mathematics" in page
    assert 'href="/directory?subject=math"' in page
    assert 'href="/directory?grade=g7"' in page
    assert 'href="/directory?grade=6-8"' in page
    assert "8 years" in page
    assert "Offering mentorship" in page
    assert "<strong>friends</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;b&gt;https://rivera.example&lt;/b&gt;" in page
    assert "Edit profile" not in page


def test_profile_page_shows_a_pseudonymous_locked_away_teacher_as_such(client):
    user = make_user(handle="quietowl", display_name="Quiet Owl")
    privacy_update(profile=user.profile, is_locked=True, is_away=True)
    page = client.get("/@quietowl").text
    assert "Quiet Owl" in page
    assert "Locked" in page
    assert "Away (summer break)" in page


def test_profile_page_offers_the_owner_an_edit_link(client_for, user):
    assert "Edit profile" in client_for(user).get(f"/@{user.profile.handle}").text


@pytest.mark.parametrize("handle", ["nobody", "ada@remote.example", "pending"])
def test_profile_page_is_404_for_unknown_and_pending_accounts(client, handle):
    make_user(handle="pending", approval=ApprovalState.PENDING)
    assert client.get(f"/@{handle}").status_code == 404


def test_profile_page_is_404_for_a_deactivated_account(client):
    user = make_user(handle="gone")
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get("/@gone").status_code == 404


# --- Editing the profile -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/settings/profile", "/settings/goals", "/settings/privacy"])
def test_settings_pages_require_sign_in(client, path):
    assert client.get(path)["Location"].startswith("/accounts/login")


@pytest.mark.parametrize("path", ["/settings/profile", "/settings/goals", "/settings/privacy"])
def test_settings_pages_render_with_the_settings_nav(client_for, user, path):
    page = client_for(user).get(path).text
    for label in ("Profile", "PLN goals", "Privacy", "Account"):
        assert f">{label}</a>" in page
    assert 'aria-current="page"' in page


def test_edit_profile_saves_everything(client_for, user, media_root):
    client = client_for(user)
    response = client.post(
        "/settings/profile", {**edit_data(), "avatar": png(), "header": png("wide.png")}
    )
    assert response.status_code == 302
    profile = fresh(user)
    assert profile.display_name == "Ms. Rivera"
    assert "<strong>grade 7</strong>" in profile.note_html
    assert profile.role == "teacher"
    assert profile.experience_years == 8
    assert profile.mentorship == "offering"
    assert profile.timezone == "America/Chicago"
    assert profile.fields == [{"name": "Blog", "value": "https://rivera.example"}]
    assert profile.avatar
    assert profile.header
    terms = profile_terms(profile)
    assert terms["subject"] == ["math", "algebra"]
    assert terms["grade"] == ["g7"]
    assert terms["practice"] == ["inquiry-based-learning"]
    assert sorted(terms["tag"]) == ["chess-club", "robotics"]
    assert sorted(terms["language"]) == ["en", "es"]
    assert len(stored_files(media_root)) == 2
    page = client.get("/settings/profile").text
    assert "Your profile is saved." in page
    assert 'value="chess-club, robotics"' in page or 'value="robotics, chess-club"' in page


def test_edit_profile_shows_the_completeness_guide(client_for, user):
    page = client_for(user).get("/settings/profile").text
    assert "Your profile is 0% complete" in page
    assert "Markdown works" in page


def test_edit_profile_clears_experience_when_left_empty(client_for, user):
    client = client_for(user)
    client.post("/settings/profile", edit_data())
    client.post("/settings/profile", edit_data(experience_years=""))
    assert fresh(user).experience_years is None


BAD_INPUT = [
    ("unknown subject", {"subjects": ["math", "alchemy"]}, "Select a valid choice"),
    ("unknown role", {"role": "wizard"}, "Select a valid choice"),
    ("500 subjects", {"subjects": ["math"] * 500}, "Choose at most 12"),
    ("long display name", {"display_name": "x" * 200}, "at most 100 characters"),
    ("bad time zone", {"timezone": "Mars/Olympus"}, "Select a valid choice"),
    ("negative experience", {"experience_years": "-3"}, "greater than or equal to 0"),
    ("too many tags", {"tags": ",".join(f"t{n}" for n in range(11))}, "at most 10 tags"),
    ("bad tag", {"tags": "ok, <script>"}, "Unknown tag"),
]


@pytest.mark.parametrize(("case", "overrides", "message"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_edit_profile_refuses_bad_input_and_saves_nothing(
    client_for, user, media_root, case, overrides, message
):
    response = client_for(user).post(
        "/settings/profile", {**edit_data(**overrides), "avatar": png()}
    )
    assert response.status_code == 422
    assert "Nothing was saved" in response.text
    assert message in response.text
    profile = fresh(user)
    assert profile.display_name == ""
    assert profile.role == ""
    assert profile.avatar == ""
    assert all(not values for values in profile_terms(profile).values())
    assert stored_files(media_root) == []


def test_edit_profile_refuses_a_non_image_named_png(client_for, user, media_root):
    fake = SimpleUploadedFile("avatar.png", b"<?php echo 'hi'; ?>", content_type="image/png")
    response = client_for(user).post("/settings/profile", {**edit_data(), "avatar": fake})
    assert response.status_code == 422
    assert "Avatar" in response.text
    assert fresh(user).display_name == ""
    assert stored_files(media_root) == []


def test_edit_profile_sanitizes_html_in_the_bio(client_for, user):
    client = client_for(user)
    note = '<script>alert("x")</script><img src=x onerror=alert(1)> *hi*'
    assert client.post("/settings/profile", edit_data(note=note)).status_code == 302
    page = client.get(f"/@{user.profile.handle}").text
    assert "<script>alert" not in page
    assert "<img src=x" not in page  # raw HTML in the bio is shown as text, never run
    assert "<em>hi</em>" in page


# --- Goals and privacy ---------------------------------------------------------------------


def test_goals_page_saves_the_goals(client_for, user):
    client = client_for(user)
    response = client.post(
        "/settings/goals",
        {
            "purposes": ["support", "mentorship"],
            "interaction": "reciprocal",
            "learning": ["textual"],
        },
    )
    assert response.status_code == 302
    profile = fresh(user)
    assert profile.goal_purposes == ["support", "mentorship"]
    assert profile.interaction_style == "reciprocal"
    assert profile.learning_styles == ["textual"]
    assert "checked" in client.get("/settings/goals").text


def test_goals_page_refuses_unknown_purposes(client_for, user):
    response = client_for(user).post("/settings/goals", {"purposes": ["gossip"]})
    assert response.status_code == 422
    assert fresh(user).goal_purposes == []


def test_privacy_page_saves_every_flag(client_for, user):
    client = client_for(user)
    response = client.post(
        "/settings/privacy", {"is_locked": "on", "is_indexable": "on", "hide_follows": "on"}
    )
    assert response.status_code == 302
    profile = fresh(user)
    assert (profile.is_locked, profile.is_discoverable, profile.is_indexable) == (
        True,
        False,
        True,
    )
    assert profile.hide_follows
    assert not profile.is_away


def test_privacy_toggles_change_what_the_directory_shows(client_for, client):
    owl = teacher("owl", subjects=["math"])
    other = Client()
    assert "@owl@" in other.get("/directory").text
    owner = client_for(owl)
    owner.post("/settings/privacy", {"is_discoverable": "on", "is_away": "on"})
    assert "@owl@" not in other.get("/directory").text
    owner.post("/settings/privacy", {})
    assert "@owl@" not in other.get("/directory").text
    owner.post("/settings/privacy", {"is_discoverable": "on"})
    assert "@owl@" in other.get("/directory").text


# --- The directory -------------------------------------------------------------------------


def test_directory_filters_by_subject_and_grade(client):
    teacher("mathseven", subjects=["algebra"], grades=["g7"], role="teacher")
    teacher("mathnine", subjects=["math"], grades=["g9"])
    teacher("artseven", subjects=["visual-arts"], grades=["g7"])
    page = client.get("/directory?subject=math&grade=g7").text
    assert "@mathseven@" in page
    assert "@mathnine@" not in page
    assert "@artseven@" not in page
    page = client.get("/directory?subject=math&grade=6-8").text
    assert "@mathseven@" in page
    assert "Teacher" in page


def test_directory_leaves_out_away_teachers(client):
    user = teacher("summer", subjects=["math"])
    privacy_update(profile=user.profile, is_away=True)
    assert "@summer@" not in client.get("/directory").text


def test_directory_unknown_filter_values_give_a_gentle_note(client):
    teacher("mathseven", subjects=["math"])
    response = client.get("/directory?subject=alchemy&grade=g99&offset=abc")
    assert response.status_code == 200
    assert "@mathseven@" not in response.text
    assert "does not know" in response.text


def test_directory_empty_state_suggests_loosening_a_filter(client):
    response = client.get("/directory?subject=latin&grade=g1")
    assert "Try loosening one" in response.text


def test_directory_paginates_by_twenty(client):
    for number in range(23):
        teacher(f"colleague{number:02}", subjects=["math"])
    first = client.get("/directory?subject=math").text
    assert first.count('class="profile-card"') == 20
    assert 'href="/directory?subject=math&amp;offset=20"' in first
    assert "Previous" not in first
    second = client.get("/directory?subject=math&offset=20").text
    assert second.count('class="profile-card"') == 3
    assert "Previous" in second
    assert "Next" not in second


def test_directory_answers_htmx_with_the_results_only(client):
    teacher("mathseven", subjects=["math"])
    response = client.get("/directory?subject=math", headers={"HX-Request": "true"})
    assert "@mathseven@" in response.text
    assert "<html" not in response.text
    assert 'id="filter-subject"' not in response.text


def test_directory_query_budget(client, django_assert_max_num_queries):
    for number in range(5):
        teacher(f"colleague{number}", subjects=["math"], grades=["g7"])
    with django_assert_max_num_queries(4):
        client.get("/directory?subject=math")


def test_profile_page_query_budget(client, django_assert_max_num_queries):
    teacher("rivera", subjects=["math", "algebra"], grades=["g7"], practices=["sel"])
    # The profile with its user and terms, then its pinned posts and a page of posts (the
    # posts' "replying to" names when the page has replies), and its "Recommended
    # colleagues": constant, whatever the size.
    with django_assert_max_num_queries(6):
        assert client.get("/@rivera").status_code == 200


def test_directory_links_remote_educators_to_their_own_server(client):
    make_remote_profile("faraway", "other.example")
    page = client.get("/directory").text
    assert "@faraway@other.example" in page
    assert 'href="https://other.example/users/faraway"' in page
    assert client.get("/@faraway@other.example").status_code == 404
