"""The hashtag pages: Follow / Unfollow on a tag page (with and without htmx), Settings →
Followed hashtags, featured hashtags on a profile, and the home page showing what a
followed hashtag brought."""

from __future__ import annotations

import pytest

from staffroom.hashtags.models import FeaturedTag, TagFollow
from staffroom.hashtags.services import featured_tag_add, tag_follow
from tests.factories import make_post, make_profile

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_tag_page_offers_follow_and_counts_people_this_week(client_for, ada, bo, cy):
    make_post(bo, "Hello #EdChat")
    make_post(cy, "Me too #edchat")
    page = client_for(ada.user).get("/tags/edchat").content.decode()
    assert "2 people posted with this hashtag this week." in page
    assert 'action="/tags/EdChat/follow"' in page
    assert "Follow #EdChat" in page


def test_signed_out_the_tag_page_asks_to_sign_in(client, bo):
    make_post(bo, "Hello #edchat")
    page = client.get("/tags/edchat").content.decode()
    assert "Sign in to follow this hashtag" in page
    assert '/follow"' not in page


def test_following_from_the_tag_page_without_javascript(client_for, ada):
    client = client_for(ada.user)
    response = client.post("/tags/EdChat/follow", {"next": "/tags/EdChat"})
    assert response.status_code == 302
    assert response["Location"] == "/tags/EdChat"
    assert TagFollow.objects.filter(profile=ada, tag__normalized="edchat").exists()
    page = client.get("/tags/edchat").content.decode()
    assert "You follow #EdChat." in page
    assert "Unfollow #EdChat" in page


def test_htmx_swaps_the_button(client_for, ada):
    client = client_for(ada.user)
    fragment = client.post("/tags/edchat/follow", **HTMX).content.decode()
    assert fragment.startswith('<div class="tag-follow" id="tag-follow"')
    assert "Unfollow #edchat" in fragment
    fragment = client.post("/tags/edchat/unfollow", **HTMX).content.decode()
    assert "Follow #edchat" in fragment
    assert not TagFollow.objects.exists()


def test_an_invalid_name_shows_why_and_changes_nothing(client_for, ada):
    client = client_for(ada.user)
    page = client.get("/tags/C++").content.decode()
    assert "This is not a hashtag" in page
    assert '/follow"' not in page
    refused = client.post("/tags/C++/follow", {"next": "https://evil.example/"})
    assert refused.status_code == 422
    assert "letters, digits and underscores" in refused.content.decode()
    assert 'href="/tags/C++"' in refused.content.decode()  # not the evil next
    assert not TagFollow.objects.exists()


def test_following_needs_sign_in_and_post(client, client_for, ada):
    response = client.post("/tags/edchat/follow")
    assert response.status_code == 302
    assert "/accounts/login" in response["Location"]
    assert client_for(ada.user).get("/tags/edchat/follow").status_code == 405
    assert not TagFollow.objects.exists()


def test_settings_page_empty_state_and_listing(client_for, ada):
    client = client_for(ada.user)
    page = client.get("/settings/hashtags").content.decode()
    assert "You follow no hashtags yet." in page
    assert 'href="/tags/edchat"' in page
    assert "You feature no hashtags yet." in page
    assert 'aria-current="page"' in page
    assert "Followed hashtags" in page
    tag_follow(actor=ada, name="SciChat")
    page = client.get("/settings/hashtags").content.decode()
    assert "Unfollow #SciChat" in page
    assert 'action="/tags/SciChat/unfollow"' in page


def test_settings_follow_form_follows_and_shows_errors(client_for, ada):
    client = client_for(ada.user)
    done = client.post("/settings/hashtags/follow", {"follow-name": "#MathChat"})
    assert done.status_code == 302
    assert TagFollow.objects.filter(profile=ada, tag__name="MathChat").exists()
    for bad in ("C++", "", "x" * 102):
        refused = client.post("/settings/hashtags/follow", {"follow-name": bad})
        assert refused.status_code == 422
        assert 'class="errorlist"' in refused.content.decode()
    refused = client.post("/settings/hashtags/follow", {"follow-name": "a\x00b"})
    assert refused.status_code == 400
    assert "NUL character" in refused.content.decode()
    assert TagFollow.objects.count() == 1


def test_unfollowing_from_settings_comes_back_to_settings(client_for, ada):
    tag_follow(actor=ada, name="edchat")
    client = client_for(ada.user)
    response = client.post("/tags/edchat/unfollow", {"next": "/settings/hashtags"})
    assert response["Location"] == "/settings/hashtags"
    assert not TagFollow.objects.exists()


def test_featuring_from_a_suggestion_and_removing(client_for, ada):
    make_post(ada, "Lab day #scichat")
    client = client_for(ada.user)
    page = client.get("/settings/hashtags").content.decode()
    assert 'name="feature-name" value="scichat"' in page
    assert (
        client.post("/settings/hashtags/featured", {"feature-name": "scichat"}).status_code == 302
    )
    row = FeaturedTag.objects.get(profile=ada)
    page = client.get("/settings/hashtags").content.decode()
    assert "Stop featuring #scichat" in page
    assert "1 post" in page
    removed = client.post(f"/settings/hashtags/featured/{row.pk}/remove")
    assert removed.status_code == 302
    assert not FeaturedTag.objects.exists()


def test_nobody_removes_another_teachers_featured_tag(client_for, ada, bo):
    row = featured_tag_add(actor=ada, name="edchat")
    client = client_for(bo.user)
    for target in (row.pk, "99999999999999999999", "abc"):
        assert client.post(f"/settings/hashtags/featured/{target}/remove").status_code == 404
    assert FeaturedTag.objects.filter(pk=row.pk).exists()


def test_the_feature_limit_is_explained(client_for, ada):
    for number in range(10):
        featured_tag_add(actor=ada, name=f"tag{number}")
    client = client_for(ada.user)
    assert "the most there can be" in client.get("/settings/hashtags").content.decode()
    refused = client.post("/settings/hashtags/featured", {"feature-name": "eleventh"})
    assert refused.status_code == 422
    assert "at most 10" in refused.content.decode()


def test_a_profile_shows_its_featured_hashtags_linking_to_its_tagged_posts(client, ada, bo):
    tagged = make_post(ada, "Fractions today #MathChat")
    other = make_post(ada, "Nothing to do with it")
    make_post(bo, "Not ada's #mathchat")
    featured_tag_add(actor=ada, name="mathchat")
    page = client.get("/@ada").content.decode()
    assert "Featured hashtags" in page
    assert 'href="/@ada?tagged=MathChat"' in page
    filtered = client.get("/@ada?tagged=MathChat").content.decode()
    assert "Posts with #MathChat" in filtered
    assert f"/@ada/{tagged.pk}" in filtered
    assert f"/@ada/{other.pk}" not in filtered
    assert "Not ada" not in filtered
    assert client.get("/@ada?tagged=C%2B%2B").status_code == 200


def test_the_web_home_shows_what_a_followed_hashtag_brought(client_for, bo, run_jobs):
    reader = make_profile("reader", onboarded=True)
    tag_follow(actor=reader, name="edchat")
    run_jobs()
    make_post(bo, "Exit tickets, anyone? #edchat")
    run_jobs()
    assert "Exit tickets, anyone?" in client_for(reader.user).get("/home").content.decode()
