"""The feed pages through the views: home with the composer and the home feed, purpose
feeds, the local timeline, the "new posts" poll, the "from educators like you" items, and
Settings → Feed."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from staffroom.graph.services import (
    follow_create,
    mute_create,
    purpose_list_add_accounts,
    purpose_list_create,
)
from staffroom.posts.models import Visibility
from staffroom.profiles.models import Profile
from staffroom.profiles.professional import (
    ProfessionalChanges,
    professional_update,
)
from staffroom.timelines.models import FeedPreferences
from staffroom.timelines.services import feed_preferences_update
from tests.factories import make_post, make_profile

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def ada() -> Profile:
    return make_profile("ada", onboarded=True)


@pytest.fixture
def bo() -> Profile:
    return make_profile("bo", onboarded=True)


@pytest.fixture
def stranger() -> Profile:
    return make_profile("stranger", onboarded=True)


@pytest.fixture
def as_ada(client_for, ada):
    return client_for(ada.user)


def _no_suggestions(profile: Profile) -> None:
    feed_preferences_update(profile, suggested_per_page=0)


def _article_ids(body: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<article class="post[^"]*" id="post-(\d+)"', body)]


# --- Home ----------------------------------------------------------------------------------


def test_home_shows_the_composer_then_followed_posts_not_strangers_followers_only(
    as_ada, ada, bo, stranger, run_jobs
):
    follow_create(actor=ada, target=bo)
    mine = make_post(bo, "Exit tickets saved my Fridays.", visibility=Visibility.FOLLOWERS)
    hidden = make_post(stranger, "Only for my followers.", visibility=Visibility.FOLLOWERS)
    public_stranger = make_post(stranger, "Public but not followed.")
    run_jobs()
    body = as_ada.get("/home").content.decode()
    assert body.index('action="/compose"') < body.index("Exit tickets saved my Fridays.")
    ids = _article_ids(body)
    assert mine.pk in ids
    assert hidden.pk not in ids
    assert public_stranger.pk not in ids  # not followed (and no shared subjects to suggest)
    assert "Only for my followers." not in body


def test_home_feed_is_newest_first_and_paged_with_older_and_newer_links(as_ada, ada, bo, run_jobs):
    _no_suggestions(ada)
    follow_create(actor=ada, target=bo)
    posts = [make_post(bo, f"Lesson idea number {n}") for n in range(23)]
    run_jobs()
    first = as_ada.get("/home").content.decode()
    assert _article_ids(first) == [post.pk for post in reversed(posts)][:20]
    older = re.search(r'href="(/home\?max_id=\d+)" rel="next"', first)
    assert older is not None
    second = as_ada.get(older.group(1)).content.decode()
    assert _article_ids(second) == [post.pk for post in reversed(posts[:3])]
    assert 'rel="prev"' in second
    assert "/home/new" not in second  # only the first page polls for new posts


def test_empty_home_feed_says_how_to_fill_it(as_ada, ada):
    body = as_ada.get("/home").content.decode()
    assert "Your home feed is empty" in body
    assert 'href="/directory"' in body
    assert 'href="/local"' in body


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/home").status_code == 200
    return len(queries)


def test_home_feed_page_query_count_does_not_grow_with_posts(
    as_ada, ada, bo, stranger, run_jobs, django_assert_max_num_queries
):
    follow_create(actor=ada, target=bo)
    follow_create(actor=ada, target=stranger)
    for n in range(4):
        make_post(bo if n % 2 else stranger, f"Post {n} about fractions")
    run_jobs()
    few = _home_queries(as_ada)
    for n in range(20):
        make_post(bo if n % 2 else stranger, f"Another post {n} about fractions")
    run_jobs()
    with django_assert_max_num_queries(few):
        response = as_ada.get("/home")
    assert len(_article_ids(response.content.decode())) == 20


# --- "From educators like you" -------------------------------------------------------------


@pytest.fixture
def like_ada(ada) -> Profile:
    """An educator Ada does not follow who teaches what she teaches, with a public post."""
    professional_update(profile=ada, changes=ProfessionalChanges(subjects=["algebra"]))
    colleague = make_profile("cy", onboarded=True, subjects=["algebra"])
    make_post(colleague, "My favourite algebra warm-up.")
    return colleague


def test_home_labels_suggested_items_with_the_reason_and_a_follow_button(
    as_ada, ada, bo, like_ada, run_jobs
):
    follow_create(actor=ada, target=bo)
    for n in range(6):
        make_post(bo, f"Followed post {n}")
    run_jobs()
    body = as_ada.get("/home").content.decode()
    section = re.search(r'<section class="suggested".*?</section>', body, re.S)
    assert section is not None
    assert "From educators like you" in section.group(0)
    assert "Teaches Algebra, like you" in section.group(0)
    assert "My favourite algebra warm-up." in section.group(0)
    assert f'action="/network/accounts/{like_ada.pk}/follow"' in section.group(0)
    # Mixed in after the fifth post of the page.
    assert body.index("Followed post 1") < body.index('<section class="suggested"')
    assert body.index('<section class="suggested"') < body.index("Followed post 0")


def test_home_has_no_suggested_items_when_set_to_zero(as_ada, ada, like_ada):
    assert "From educators like you" in as_ada.get("/home").content.decode()
    _no_suggestions(ada)
    body = as_ada.get("/home").content.decode()
    assert "From educators like you" not in body
    assert "My favourite algebra warm-up." not in body


# --- Purpose feeds -------------------------------------------------------------------------


@pytest.fixture
def math_list(ada, bo, stranger):
    follow_create(actor=ada, target=bo)
    follow_create(actor=ada, target=stranger)
    found = purpose_list_create(actor=ada, title="Math resources", purpose="resources")
    purpose_list_add_accounts(actor=ada, list_id=found.pk, profile_ids=[bo.pk])
    return found


def test_purpose_feed_shows_only_the_list_members_posts(as_ada, bo, stranger, math_list, run_jobs):
    listed = make_post(bo, "A geometry lesson plan.")
    unlisted = make_post(stranger, "Something about recess duty.")
    run_jobs()
    response = as_ada.get(f"/feeds/lists/{math_list.pk}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Math resources</h1>" in body
    assert "Resources" in body  # the purpose
    assert _article_ids(body) == [listed.pk]
    assert unlisted.pk not in _article_ids(body)
    assert f'href="/network/lists/{math_list.pk}"' in body
    assert f'hx-get="/feeds/lists/{math_list.pk}/new?since_id={listed.pk}&amp;seen=0"' in body


def test_purpose_feed_is_linked_from_home(as_ada, math_list):
    body = as_ada.get("/home").content.decode()
    assert 'aria-label="Your feeds"' in body
    assert f'href="/feeds/lists/{math_list.pk}"' in body


def test_another_teachers_purpose_feed_is_404(client_for, bo, math_list):
    client = client_for(bo.user)
    assert client.get(f"/feeds/lists/{math_list.pk}").status_code == 404
    # The poll answers "nothing new" rather than an error page htmx would swap in.
    assert client.get(f"/feeds/lists/{math_list.pk}/new").status_code == 204
    assert client.get("/feeds/lists/999999999").status_code == 404


def test_purpose_feed_needs_sign_in(client, math_list):
    response = client.get(f"/feeds/lists/{math_list.pk}")
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_feeds_index_lists_every_feed(as_ada, math_list):
    body = as_ada.get("/feeds").content.decode()
    for href in ("/home", "/local", f"/feeds/lists/{math_list.pk}"):
        assert f'href="{href}"' in body


# --- New posts without a reload ------------------------------------------------------------


def test_home_poll_answers_the_number_of_newer_posts(as_ada, ada, bo, run_jobs):
    follow_create(actor=ada, target=bo)
    first = make_post(bo, "The first post.")
    run_jobs()
    body = as_ada.get("/home").content.decode()
    assert f'hx-get="/home/new?since_id={first.pk}&amp;seen=0"' in body
    assert 'hx-trigger="every 30s, sr:update from:body"' in body
    assert 'aria-live="polite"' in body

    nothing = as_ada.get(f"/home/new?since_id={first.pk}&seen=0", headers=HTMX)
    assert nothing.status_code == 204
    assert nothing.content == b""

    for n in range(3):
        make_post(bo, f"Newer post {n}")
    run_jobs()
    answer = as_ada.get(f"/home/new?since_id={first.pk}&seen=0", headers=HTMX)
    assert answer.status_code == 200
    text = answer.content.decode()
    assert "3 new posts — show" in text
    assert 'href="/home"' in text
    assert f'hx-get="/home/new?since_id={first.pk}&amp;seen=3"' in text
    # The same count again: nothing to announce twice.
    assert as_ada.get(f"/home/new?since_id={first.pk}&seen=3").status_code == 204


def test_list_poll_counts_only_the_lists_posts(as_ada, bo, stranger, math_list, run_jobs):
    make_post(stranger, "Not in the list.")
    make_post(bo, "In the list.")
    run_jobs()
    answer = as_ada.get(f"/feeds/lists/{math_list.pk}/new?seen=0")
    assert "1 new post — show" in answer.content.decode()


def test_poll_caps_the_count(as_ada, ada, run_jobs):
    for n in range(25):
        make_post(ada, f"My own post {n}")
    run_jobs()
    text = as_ada.get("/home/new").content.decode()
    assert "More than 20 new posts — show" in text


def test_polls_answer_nothing_once_signed_out(client, ada, math_list):
    make_post(ada, "A post nobody signed out should hear about.")
    assert client.get("/home/new", headers=HTMX).status_code == 204
    assert client.get(f"/feeds/lists/{math_list.pk}/new", headers=HTMX).status_code == 204


# --- Local ---------------------------------------------------------------------------------


def test_local_timeline_shows_public_posts_only_to_anyone(client, ada, bo):
    public = make_post(ada, "Open to everyone.")
    make_post(ada, "Quietly listed.", visibility=Visibility.UNLISTED)
    make_post(bo, "Followers only.", visibility=Visibility.FOLLOWERS)
    response = client.get("/local")
    assert response.status_code == 200
    body = response.content.decode()
    assert _article_ids(body) == [public.pk]
    assert "Quietly listed." not in body
    assert "Followers only." not in body
    assert 'hx-get="/local/new?since_id=' in body
    assert 'aria-label="Your feeds"' not in body  # an anonymous visitor has no feeds


def test_local_timeline_for_a_signed_in_teacher(as_ada, ada, bo):
    post = make_post(bo, "Hello from the staffroom.")
    body = as_ada.get("/local").content.decode()
    assert _article_ids(body) == [post.pk]
    assert 'aria-current="page">Local' in body


def test_hashtag_page_renders_posts_like_the_feeds(client, ada):
    tagged = make_post(ada, "Try this #numberTalks routine.")
    body = client.get("/tags/numbertalks").content.decode()
    assert _article_ids(body) == [tagged.pk]


def test_hashtag_page_polls_for_new_tagged_posts_and_leaves_out_muted_authors(
    client_for, ada, bo, stranger
):
    first = make_post(bo, "Warm-ups with #numberTalks")
    as_ada = client_for(ada.user)
    body = as_ada.get("/tags/numbertalks").content.decode()
    assert f'hx-get="/tags/numbertalks/new?since_id={first.pk}&amp;seen=0"' in body
    make_post(stranger, "More #numbertalks")
    make_post(stranger, "Not tagged")
    text = as_ada.get(f"/tags/numbertalks/new?since_id={first.pk}&seen=0").content.decode()
    assert "1 new post — show" in text
    assert 'href="/tags/numbertalks"' in text
    mute_create(actor=ada, target=stranger)
    assert "More #numbertalks" not in as_ada.get("/tags/numbertalks").content.decode()


def test_anonymous_visitors_poll_the_local_timeline(client, ada):
    first = make_post(ada, "First public post.")
    assert client.get(f"/local/new?since_id={first.pk}&seen=0").status_code == 204
    make_post(ada, "Second public post.")
    make_post(ada, "Followers only.", visibility=Visibility.FOLLOWERS)
    answer = client.get(f"/local/new?since_id={first.pk}&seen=0")
    assert "1 new post — show" in answer.content.decode()


# --- Settings → Feed -----------------------------------------------------------------------


def test_feed_settings_shows_the_current_value_and_is_in_the_settings_menu(as_ada):
    response = as_ada.get("/settings/feed")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="suggested_per_page"' in body
    assert 'value="2"' in body
    assert 'href="/settings/feed" aria-current="page"' in body
    assert 'href="/settings/feed"' in as_ada.get("/settings").content.decode()


def test_feed_settings_saves_a_value(as_ada, ada):
    response = as_ada.post("/settings/feed", {"suggested_per_page": "0"})
    assert response.status_code == 302
    assert response["Location"] == "/settings/feed"
    assert FeedPreferences.objects.get(owner=ada).suggested_per_page == 0
    assert "Your feed settings are saved." in as_ada.get("/settings/feed").content.decode()


@pytest.mark.parametrize("value", ["6", "-1", "many", ""])
def test_feed_settings_refuses_a_bad_value(as_ada, ada, value):
    response = as_ada.post("/settings/feed", {"suggested_per_page": value})
    assert response.status_code == 422
    assert 'class="errorlist"' in response.content.decode()
    assert not FeedPreferences.objects.filter(owner=ada).exists()


def test_feed_settings_needs_sign_in(client):
    assert client.get("/settings/feed").status_code == 302


def test_feed_pages_and_polls_keep_a_query_budget(
    as_ada, client, bo, math_list, run_jobs, django_assert_max_num_queries
):
    for n in range(21):
        make_post(bo, f"Post {n}")
    run_jobs()
    # The feeds with posts read the viewer's filters (one query when they have none) and
    # a full page of cards reads its polls once (one query, whatever the page size).
    budgets = {
        f"/feeds/lists/{math_list.pk}": 15,
        f"/feeds/lists/{math_list.pk}/new?since_id=1": 8,
        "/home/new?since_id=1": 8,
        "/local": 14,
    }
    for url, budget in budgets.items():
        with django_assert_max_num_queries(budget):
            assert as_ada.get(url).status_code == 200
    client.logout()
    with django_assert_max_num_queries(3):
        assert client.get("/local").status_code == 200
