"""Explore, the home page's box and the moderators' review page."""

import pytest
from django.urls import reverse

from staffroom.moderation.models import ActionKind, ModerationAction
from staffroom.posts.models import Tag
from staffroom.posts.services import favourite_create
from staffroom.profiles.professional import onboarding_complete
from staffroom.trends.models import Link, TrendKind
from staffroom.trends.services import trends_refresh

pytestmark = pytest.mark.django_db

EMPTY = "Nothing is trending yet: trends need several teachers talking about the same thing."


@pytest.fixture
def trending(teachers, post, approve) -> dict[str, object]:
    """An approved hashtag, link and post."""
    liked = post(teachers[5], "Our school garden, week three")
    for teacher in teachers[:3]:
        post(teacher, "Hi #mathchat https://blog.example/number-talks")
        favourite_create(actor=teacher, status=liked)
    trends_refresh()
    tag = Tag.objects.get(normalized="mathchat")
    approve(TrendKind.TAG, tag.pk)
    approve(TrendKind.LINK, Link.objects.get().pk)
    approve(TrendKind.STATUS, liked.pk)
    return {"tag": tag, "status": liked}


@pytest.mark.parametrize("path", ["/explore", "/explore/posts", "/explore/links"])
def test_explore_says_when_nothing_trends(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    assert EMPTY in response.content.decode()


def test_explore_shows_each_kind_to_anyone(client, trending):
    tags = client.get("/explore").content.decode()
    assert 'href="/tags/mathchat"' in tags
    assert "3 people talked about it this week" in tags
    posts = client.get("/explore/posts").content.decode()
    assert "Our school garden, week three" in posts
    links = client.get("/explore/links").content.decode()
    assert 'href="https://blog.example/number-talks"' in links
    assert "Number talks" in links
    assert EMPTY not in tags + posts + links


def test_explore_posts_costs_a_bounded_number_of_queries(
    client, trending, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15):
        assert client.get("/explore/posts").status_code == 200


def test_explore_has_no_other_tabs(client, db):
    assert client.get("/explore/people").status_code == 404


def test_explore_says_when_trends_are_off(client, trending, settings):
    settings.STAFFROOM_TRENDS_ENABLED = False
    assert "Trends are switched off on this server." in client.get("/explore").content.decode()


def _home(client_for, profile) -> str:
    onboarding_complete(profile=profile)
    assert profile.user is not None
    response = client_for(profile.user).get("/home")
    assert response.status_code == 200
    return response.content.decode()


def test_home_shows_trending_tags_when_there_are_some(client_for, teachers, trending):
    page = _home(client_for, teachers[0])
    assert "Trending in your staffroom" in page
    assert 'href="/tags/mathchat"' in page


def test_home_has_no_box_without_trends(client_for, teachers):
    assert "Trending in your staffroom" not in _home(client_for, teachers[0])


def test_the_header_links_to_explore(client, db):
    assert f'href="{reverse("trends:explore")}"' in client.get("/local").content.decode()


def test_a_teacher_may_not_open_the_review_page_nor_act(client_for, teachers, trending):
    assert teachers[0].user is not None
    client = client_for(teachers[0].user)
    assert client.get("/moderation/trends").status_code == 403
    tag = trending["tag"]
    response = client.post(f"/moderation/trends/tag/{tag.pk}/reject")
    assert response.status_code == 403
    tag.refresh_from_db()
    assert tag.trendable is True


def test_a_visitor_is_sent_to_sign_in(client, db):
    response = client.get("/moderation/trends")
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_review_page_lists_candidates_with_actions(client_for, moderator, teachers, post):
    for teacher in teachers[:3]:
        post(teacher, "Hi #scichat")
    trends_refresh()
    page = client_for(moderator).get("/moderation/trends").content.decode()
    assert "#scichat" in page
    assert "Waiting for a review." in page
    tag = Tag.objects.get(normalized="scichat")
    assert f'action="/moderation/trends/tag/{tag.pk}/approve"' in page


@pytest.mark.parametrize("tab", ["hashtags", "posts", "links"])
def test_each_review_tab_opens(client_for, moderator, trending, tab):
    response = client_for(moderator).get(f"/moderation/trends?tab={tab}")
    assert response.status_code == 200
    assert "Approved: it may trend." in response.content.decode()


def test_a_moderator_approves_from_the_page(client_for, moderator, teachers, post):
    for teacher in teachers[:3]:
        post(teacher, "Hi #scichat")
    trends_refresh()
    tag = Tag.objects.get(normalized="scichat")
    client = client_for(moderator)
    response = client.post(f"/moderation/trends/tag/{tag.pk}/approve")
    assert response.status_code == 302
    assert response["Location"] == "/moderation/trends?tab=hashtags"
    assert 'href="/tags/scichat"' in client.get("/explore").content.decode()
    assert ModerationAction.objects.get().kind == ActionKind.TREND_APPROVE


def test_a_bad_review_action_is_a_page_not_a_crash(client_for, moderator, trending):
    client = client_for(moderator)
    assert client.post("/moderation/trends/tag/999999/approve").status_code == 404
    refused = client.post("/moderation/trends/person/1/approve")
    assert refused.status_code == 422
    assert "Unknown trend review" in refused.content.decode()
    assert client.get("/moderation/trends/tag/1/approve").status_code == 405
