"""The post pages through the views: composing, a post's page and its thread, privacy,
editing and deleting, and the action bar with and without htmx."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from staffroom.graph.services import block_create, follow_create
from staffroom.posts.models import Bookmark, Favourite, Status, Visibility
from staffroom.posts.services import PostText, favourite_create, status_edit
from staffroom.profiles.professional import onboarding_complete

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _url(status: Status, suffix: str = "") -> str:
    return f"/@{status.account.handle}/{status.pk}{suffix}"


def _compose(client, text: str = "Any tips for a first lesson on fractions?", **data):
    fields = {"text": text, "spoiler_text": "", "visibility": "public", "language": ""}
    return client.post("/compose", {**fields, **data})


def _without_csrf(body: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body.decode())


@pytest.fixture
def as_ada(client_for, ada):
    return client_for(ada.user)


# --- Composing -----------------------------------------------------------------------------


def test_compose_needs_sign_in(client):
    response = client.get("/compose")
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_compose_page_explains_each_audience(as_ada):
    response = as_ada.get("/compose")
    assert response.status_code == 200
    body = response.content.decode()
    for value in Visibility.values:
        assert f'value="{value}"' in body
    assert "does not see it" in body  # followers only: a pending request is not enough
    assert "never leaves this server" in body
    assert "Up to 1000 characters" in body or "Up to 1,000 characters" in body
    assert 'name="idempotency_key"' in body


def test_home_carries_the_composer(client_for, ada):
    onboarding_complete(profile=ada)
    response = client_for(ada.user).get("/home")
    assert response.status_code == 200
    assert 'action="/compose"' in response.content.decode()


@pytest.mark.parametrize("path", ["/compose", "/home"])
def test_composer_starts_on_the_default_visibility(client_for, ada, path):
    onboarding_complete(profile=ada)
    ada.default_visibility = Visibility.CONNECTIONS
    ada.save(update_fields=["default_visibility"])
    body = client_for(ada.user).get(path).content.decode()
    checked = re.findall(r'<input[^>]*name="visibility"[^>]*>', body)
    chosen = [tag for tag in checked if "checked" in tag]
    assert len(chosen) == 1
    assert 'value="connections"' in chosen[0]


@pytest.mark.parametrize("visibility", Visibility.values)
def test_compose_posts_with_each_visibility(as_ada, ada, visibility):
    response = _compose(as_ada, "Exit tickets saved my Fridays.", visibility=visibility)
    status = Status.objects.get(account=ada)
    assert status.visibility == visibility
    assert response.status_code == 302
    assert response["Location"] == _url(status)
    page = as_ada.get(_url(status))
    assert page.status_code == 200
    assert "Exit tickets saved my Fridays." in page.content.decode()


def test_compose_with_content_warning_and_language(as_ada, ada):
    _compose(as_ada, "Spoilers for the novel ending", spoiler_text="Book ending", language="fr")
    status = Status.objects.get(account=ada)
    assert (status.spoiler_text, status.sensitive, status.language) == ("Book ending", True, "fr")
    body = as_ada.get(_url(status)).content.decode()
    assert "<details" in body
    assert "Book ending" in body


def test_blank_post_is_refused_with_422(as_ada, ada):
    response = _compose(as_ada, "   ")
    assert response.status_code == 422
    assert not Status.objects.filter(account=ada).exists()
    assert "empty" in response.content.decode() or "blank" in response.content.decode()


def test_too_long_post_keeps_the_text(as_ada, ada, settings):
    settings.STAFFROOM_MAX_POST_CHARS = 20
    text = "A lesson plan that is far too long to fit"
    response = _compose(as_ada, text, spoiler_text="cw kept")
    assert response.status_code == 422
    body = response.content.decode()
    assert "character limit of 20 exceeded" in body
    assert text in body
    assert "cw kept" in body
    assert not Status.objects.filter(account=ada).exists()


def test_too_many_mentions_is_a_422(as_ada, ada):
    text = " ".join(f"@someone{number}" for number in range(51))
    response = _compose(as_ada, text)
    assert response.status_code == 422
    assert "at most 50" in response.content.decode()


def test_rate_limit_answers_429_with_the_text_kept(as_ada, ada, settings):
    settings.STAFFROOM_RATE_LIMITS = {**settings.STAFFROOM_RATE_LIMITS, "posting": (1, 3600)}
    assert _compose(as_ada, "first").status_code == 302
    response = _compose(as_ada, "second, too soon")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "second, too soon" in response.content.decode()
    assert Status.objects.filter(account=ada).count() == 1


@pytest.mark.parametrize(
    "tampered",
    [
        {"visibility": "everyone"},
        {"language": "klingon!"},
        {"spoiler_text": "x" * 1001},
        {"idempotency_key": "k" * 256},
    ],
)
def test_tampered_fields_are_a_422_never_a_500(as_ada, ada, tampered):
    response = _compose(as_ada, "Kept text", **tampered)
    assert response.status_code == 422
    assert "Kept text" in response.content.decode()
    assert not Status.objects.filter(account=ada).exists()


def test_the_same_form_sent_twice_makes_one_post(as_ada, ada):
    first = _compose(as_ada, "Double click", idempotency_key="form-123")
    second = _compose(as_ada, "Double click", idempotency_key="form-123")
    assert Status.objects.filter(account=ada).count() == 1
    assert first["Location"] == second["Location"]


def test_each_render_of_the_composer_has_its_own_key(as_ada):
    keys = [
        re.search(r'name="idempotency_key" value="([^"]+)"', as_ada.get("/compose").text)
        for _ in range(2)
    ]
    assert keys[0]
    assert keys[1]
    assert keys[0].group(1) != keys[1].group(1)


# --- A post's page and privacy -------------------------------------------------------------


@pytest.fixture
def followers_only(ada, bo, cy, stranger, post):
    """Ada is locked: Bo follows her, Cy only asked, and Stranger is blocked by her."""
    follow_create(actor=bo, target=ada)
    ada.is_locked = True
    ada.save(update_fields=["is_locked"])
    follow_create(actor=cy, target=ada)  # a request, not a follow
    block_create(actor=ada, target=stranger)
    return post(ada, "Followers only #assessment question", visibility=Visibility.FOLLOWERS)


def test_followers_only_post_is_a_404_for_those_who_may_not_see_it(
    client, client_for, followers_only, cy, stranger
):
    missing = f"/@ada/{followers_only.pk + 12345}"
    anonymous = client.get(_url(followers_only))
    assert anonymous.status_code == 404
    assert anonymous.content == client.get(missing).content
    for viewer in (cy, stranger):
        signed_in = client_for(viewer.user)
        hidden = signed_in.get(_url(followers_only))
        assert hidden.status_code == 404
        assert _without_csrf(hidden.content) == _without_csrf(signed_in.get(missing).content)


def test_followers_only_post_is_missing_from_profile_and_tag_pages(
    client, client_for, followers_only, cy, stranger
):
    for viewer in (None, cy):
        browser = client_for(viewer.user) if viewer else client
        profile = browser.get("/@ada")
        assert profile.status_code == 200
        assert "Followers only" not in profile.content.decode()
        tag = browser.get("/tags/assessment")
        assert "Followers only" not in tag.content.decode()
    # Ada blocked Stranger: her profile itself is hidden from them.
    assert client_for(stranger.user).get("/@ada").status_code == 404


def test_a_follower_sees_the_followers_only_post(client_for, followers_only, bo):
    as_bo = client_for(bo.user)
    assert "Followers only" in as_bo.get(_url(followers_only)).content.decode()
    assert "Followers only" in as_bo.get("/@ada").content.decode()
    # Even a follower never finds it under the hashtag: only public posts are listed there.
    assert "Followers only" not in as_bo.get("/tags/assessment").content.decode()


def test_the_handle_in_the_address_must_be_the_authors(client, ada, bo, post):
    status = post(ada, "Mine")
    assert client.get(f"/@bo/{status.pk}").status_code == 404
    assert client.get(f"/@ADA/{status.pk}").status_code == 200
    assert client.get("/@ada/not-a-number").status_code == 404
    assert client.get(f"/@ada/{2**64}").status_code == 404


def test_a_reshare_address_leads_to_the_original(client, client_for, ada, bo, post):
    status = post(ada, "Worth sharing")
    client_for(bo.user).post(f"/posts/{status.pk}/reshare")
    reshare = Status.objects.get(account=bo, reblog_of=status)
    response = client.get(f"/@bo/{reshare.pk}")
    assert response.status_code == 302
    assert response["Location"] == _url(status)


def test_thread_page_shows_ancestors_the_post_and_indented_replies(client, ada, bo, cy, post):
    root = post(ada, "Root question")
    reply = post(bo, "First answer", in_reply_to=root)
    deeper = post(cy, "Answer to the answer", in_reply_to=reply)
    body = client.get(_url(reply)).content.decode()
    assert body.index("Root question") < body.index("First answer") < body.index("Answer to")
    assert "post-highlighted" in body
    assert "post-depth-1" in body  # the reply to the highlighted post
    assert "Replying to" in body
    assert "Sign in to reply" in body
    assert client.get(_url(deeper)).status_code == 200


def test_times_are_shown_in_the_viewers_time_zone(client, client_for, ada, post):
    ada.timezone = "Asia/Tokyo"
    ada.save(update_fields=["timezone"])
    with time_machine.travel(datetime(2026, 3, 1, 15, 30, tzinfo=UTC), tick=False):
        status = post(ada, "What time is it?")
    anonymous = client.get(_url(status)).content.decode()
    assert '<time datetime="2026-03-01T15:30:00+00:00">' in anonymous
    assert "March 1, 2026, 3:30 p.m." in anonymous  # the server's zone (UTC)
    # In Tokyo it is already the next morning.
    assert "March 2, 2026, 12:30 a.m." in client_for(ada.user).get(_url(status)).text


def test_anonymous_readers_see_counts_but_no_action_forms(client, ada, post):
    status = post(ada, "Read only")
    body = client.get(_url(status)).content.decode()
    assert "0 favourites" in body
    assert "/posts/" not in body  # no action forms
    assert "Sign in to reply" in body


# --- Replying --------------------------------------------------------------------------------


def test_reply_through_the_thread_page(client_for, ada, bo, post):
    question = post(ada, "How do you start a lesson?")
    as_bo = client_for(bo.user)
    page = as_bo.get(_url(question)).content.decode()
    assert 'id="reply"' in page
    assert "@ada " in page  # the reply starts with the author's handle
    response = as_bo.post(
        _url(question),
        {"text": "@ada With a question on the board.", "visibility": "public", "language": ""},
    )
    reply = Status.objects.get(account=bo)
    assert response.status_code == 302
    assert response["Location"] == _url(reply)
    assert reply.in_reply_to == question
    question.refresh_from_db()
    assert question.replies_count == 1
    assert "With a question on the board." in as_bo.get(_url(question)).content.decode()


def test_a_refused_reply_shows_the_thread_with_the_text_kept(client_for, ada, bo, post, settings):
    settings.STAFFROOM_MAX_POST_CHARS = 10
    question = post(ada, "Short q")
    response = client_for(bo.user).post(
        _url(question), {"text": "A much too long reply", "visibility": "public"}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Short q" in body
    assert "A much too long reply" in body


def test_replying_needs_sign_in(client, ada, post):
    question = post(ada, "Anyone?")
    response = client.post(_url(question), {"text": "me", "visibility": "public"})
    assert response.status_code == 302
    assert "/login" in response["Location"]
    assert Status.objects.count() == 1


def test_a_reply_to_a_hidden_post_is_a_404(client_for, followers_only, cy):
    response = client_for(cy.user).post(
        _url(followers_only), {"text": "sneaky", "visibility": "public"}
    )
    assert response.status_code == 404
    assert not Status.objects.filter(account=cy).exists()


# --- Editing, history, deleting --------------------------------------------------------------


def test_author_edits_a_post_and_the_history_lists_versions(as_ada, ada, post):
    status = post(ada, "Frist draft", visibility=Visibility.UNLISTED)
    form = as_ada.get(_url(status, "/edit"))
    assert form.status_code == 200
    assert "Frist draft" in form.content.decode()
    assert 'name="visibility"' not in form.content.decode()
    response = as_ada.post(_url(status, "/edit"), {"text": "First draft", "spoiler_text": ""})
    assert response.status_code == 302
    status.refresh_from_db()
    assert (status.text, status.visibility) == ("First draft", Visibility.UNLISTED)
    page = as_ada.get(_url(status)).content.decode()
    assert _url(status, "/history") in page
    history = as_ada.get(_url(status, "/history")).content.decode()
    assert history.index("Frist draft") < history.index("First draft")


def test_an_invalid_edit_is_a_422_and_changes_nothing(as_ada, ada, post):
    status = post(ada, "Keep me")
    response = as_ada.post(_url(status, "/edit"), {"text": "  "})
    assert response.status_code == 422
    status.refresh_from_db()
    assert status.text == "Keep me"


def test_only_the_author_may_edit(client, client_for, followers_only, bo, cy):
    assert client_for(bo.user).get(_url(followers_only, "/edit")).status_code == 403
    assert (
        client_for(bo.user).post(_url(followers_only, "/edit"), {"text": "hijack"}).status_code
        == 403
    )
    assert client_for(cy.user).get(_url(followers_only, "/edit")).status_code == 404
    client.logout()  # client_for signs in the same test client
    assert client.get(_url(followers_only, "/edit")).status_code == 302
    followers_only.refresh_from_db()
    assert followers_only.text.startswith("Followers only")


def test_history_of_an_unedited_post(client, ada, post):
    status = post(ada, "Never changed")
    response = client.get(_url(status, "/history"))
    assert response.status_code == 200
    assert "has not been edited" in response.content.decode()


def test_history_and_people_pages_are_hidden_like_the_post(client, followers_only, ada):
    status_edit(editor=ada, status=followers_only, draft=PostText(text="changed"))
    for suffix in ("/history", "/favourites", "/reshares"):
        assert client.get(_url(followers_only, suffix)).status_code == 404


def test_delete_asks_first_then_deletes(as_ada, ada, post):
    status = post(ada, "Regrettable")
    confirm = as_ada.get(_url(status, "/delete"))
    assert confirm.status_code == 200
    assert "Delete this post?" in confirm.content.decode()
    assert Status.objects.filter(pk=status.pk).exists()
    response = as_ada.post(_url(status, "/delete"))
    assert response.status_code == 302
    assert response["Location"] == "/@ada"
    assert not Status.objects.filter(pk=status.pk).exists()


def test_only_the_author_may_delete(client_for, ada, bo, post):
    status = post(ada, "Not yours")
    assert client_for(bo.user).post(_url(status, "/delete")).status_code == 403
    assert Status.objects.filter(pk=status.pk).exists()


# --- The action bar --------------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True])
def test_favourite_and_unfavourite(client_for, ada, bo, post, htmx):
    status = post(ada, "Nice idea")
    as_bo = client_for(bo.user)
    headers = HTMX if htmx else {}
    response = as_bo.post(f"/posts/{status.pk}/favourite", {"next": _url(status)}, headers=headers)
    assert Favourite.objects.filter(account=bo, status=status).exists()
    if htmx:
        assert response.status_code == 200
        body = response.content.decode()
        assert "Remove favourite" in body
        assert "1 favourite" in body
        assert "<html" not in body
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(_url(status))
    as_bo.post(f"/posts/{status.pk}/unfavourite", headers=headers)
    assert not Favourite.objects.filter(account=bo, status=status).exists()


@pytest.mark.parametrize("htmx", [False, True])
def test_bookmark_and_unbookmark(client_for, ada, bo, post, htmx):
    status = post(ada, "Keep for later")
    as_bo = client_for(bo.user)
    headers = HTMX if htmx else {}
    response = as_bo.post(f"/posts/{status.pk}/bookmark", headers=headers)
    assert response.status_code == (200 if htmx else 302)
    assert Bookmark.objects.filter(account=bo, status=status).exists()
    if htmx:
        assert "Remove bookmark" in response.content.decode()
    as_bo.post(f"/posts/{status.pk}/unbookmark", headers=headers)
    assert not Bookmark.objects.filter(account=bo, status=status).exists()


@pytest.mark.parametrize("htmx", [False, True])
def test_reshare_and_undo(client_for, ada, bo, post, htmx):
    status = post(ada, "Share me", visibility=Visibility.UNLISTED)
    as_bo = client_for(bo.user)
    headers = HTMX if htmx else {}
    response = as_bo.post(f"/posts/{status.pk}/reshare", headers=headers)
    assert response.status_code == (200 if htmx else 302)
    assert Status.objects.filter(account=bo, reblog_of=status).exists()
    if htmx:
        assert "Undo reshare" in response.content.decode()
    as_bo.post(f"/posts/{status.pk}/unreshare", headers=headers)
    assert not Status.objects.filter(account=bo, reblog_of=status).exists()


@pytest.mark.parametrize("htmx", [False, True])
def test_a_followers_only_post_cannot_be_reshared(client_for, followers_only, bo, htmx):
    as_bo = client_for(bo.user)
    page = as_bo.get(_url(followers_only)).content.decode()
    assert "Reshare" not in page  # not offered
    headers = HTMX if htmx else {}
    response = as_bo.post(f"/posts/{followers_only.pk}/reshare", headers=headers)
    assert response.status_code == 422
    assert "cannot be shared" in response.content.decode()
    assert not Status.objects.filter(reblog_of=followers_only).exists()


def test_actions_on_a_hidden_post_are_a_404(client_for, followers_only, cy):
    as_cy = client_for(cy.user)
    for action in ("favourite", "bookmark", "reshare"):
        assert as_cy.post(f"/posts/{followers_only.pk}/{action}").status_code == 404
    assert not Favourite.objects.exists()


def test_unknown_action_get_and_anonymous(client, client_for, ada, bo, post):
    status = post(ada, "Hello")
    as_bo = client_for(bo.user)
    assert as_bo.post(f"/posts/{status.pk}/explode").status_code == 404
    assert as_bo.get(f"/posts/{status.pk}/favourite").status_code == 405
    assert as_bo.post(f"/posts/{status.pk + 1}/favourite").status_code == 404
    client.logout()  # client_for signs in the same test client
    anonymous = client.post(f"/posts/{status.pk}/favourite")
    assert anonymous.status_code == 302
    assert not Favourite.objects.exists()


def test_next_must_be_on_this_site(client_for, ada, bo, post):
    """SECURITY-PLAN A-10."""
    status = post(ada, "Hello")
    response = client_for(bo.user).post(
        f"/posts/{status.pk}/favourite", {"next": "https://evil.example/"}
    )
    assert response["Location"].startswith(_url(status))


def test_author_pins_and_unpins_others_may_not(as_ada, client_for, ada, bo, post):
    status = post(ada, "Pin me")
    other = post(ada, "Newer, not pinned")
    assert as_ada.post(f"/posts/{status.pk}/pin").status_code == 302
    status.refresh_from_db()
    assert status.pinned_at is not None
    profile = as_ada.get("/@ada").content.decode()
    assert profile.index("Pin me") < profile.index("Newer, not pinned")
    assert profile.count("Pin me") == 1  # pinned first, not repeated below
    assert client_for(bo.user).post(f"/posts/{other.pk}/pin").status_code == 403
    client_for(ada.user).post(f"/posts/{status.pk}/unpin", headers=HTMX)
    status.refresh_from_db()
    assert status.pinned_at is None


def test_favourites_and_reshares_pages_list_people(client, ada, bo, cy, post, client_for):
    status = post(ada, "Popular")
    favourite_create(actor=bo, status=status)
    client_for(cy.user).post(f"/posts/{status.pk}/reshare")
    favourites = client.get(_url(status, "/favourites")).content.decode()
    assert "@bo@" in favourites
    assert "@cy@" not in favourites
    reshares = client.get(_url(status, "/reshares")).content.decode()
    assert "@cy@" in reshares


# --- Lists of posts --------------------------------------------------------------------------


def test_bookmarks_page(client, client_for, ada, bo, post):
    assert client.get("/bookmarks").status_code == 302
    as_bo = client_for(bo.user)
    assert "no bookmarks yet" in as_bo.get("/bookmarks").content.decode()
    status = post(ada, "Bookmarked lesson plan")
    as_bo.post(f"/posts/{status.pk}/bookmark")
    body = as_bo.get("/bookmarks").content.decode()
    assert "Bookmarked lesson plan" in body
    assert "Remove bookmark" in body


def test_tag_page_lists_public_posts_with_an_empty_state(client, ada, post):
    assert "No public posts" in client.get("/tags/fractions").content.decode()
    post(ada, "Try #Fractions with pizza")
    post(ada, "Unlisted #fractions", visibility=Visibility.UNLISTED)
    body = client.get("/tags/fractions").content.decode()
    assert "pizza" in body
    assert "Unlisted" not in body


def test_profile_pages_through_posts(client, ada, post, django_assert_max_num_queries):
    for number in range(25):
        post(ada, f"Post number {number:02d}")
    with django_assert_max_num_queries(25):
        first = client.get("/@ada")
    body = first.content.decode()
    assert "Post number 24" in body
    assert "Post number 04" not in body
    older = re.search(r'href="(/@ada\?max_id=\d+)" rel="next"', body)
    assert older
    second = client.get(older.group(1)).content.decode()
    assert "Post number 04" in second
    assert "Post number 00" in second
    assert "Post number 05" not in second
    assert "Post number 24" not in second
    assert 'rel="prev"' in second


def test_profile_empty_state(client, client_for, ada):
    assert "No posts to show here yet." in client.get("/@ada").content.decode()
    assert "You have not posted anything yet" in client_for(ada.user).get("/@ada").text


def test_reshare_rows_on_a_profile_link_to_the_original(client, client_for, ada, bo, post):
    status = post(ada, "Original thought")
    client_for(bo.user).post(f"/posts/{status.pk}/reshare")
    body = client.get("/@bo").content.decode()
    assert "Original thought" in body
    assert "reshared" in body
    assert f'href="{_url(status)}"' in body


# --- Query budgets ---------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_pages_of_posts_cost_the_same_whatever_their_length(client_for, ada, bo, post):
    """A thread, a profile, bookmarks and a hashtag read a fixed number of queries: the
    viewer's marks and the replied-to accounts come in one batch for the page."""
    as_bo = client_for(bo.user)
    root = post(ada, "Root #budget")
    last = root
    for author in (bo, ada):  # each page below starts with a reply on it
        last = post(author, "A first reply #budget", in_reply_to=last)
        as_bo.post(f"/posts/{last.pk}/bookmark")
    urls = [_url(root), "/@ada", "/@bo", "/bookmarks", "/tags/budget"]
    small = [_queries(as_bo, url) for url in urls]
    for number in range(10):
        last = post(ada if number % 2 else bo, f"Reply {number} #budget", in_reply_to=last)
        favourite_create(actor=bo, status=last)
        as_bo.post(f"/posts/{last.pk}/bookmark")
    large = [_queries(as_bo, url) for url in urls]
    assert large == small
    # 28: a profile page also reads its "Recommended colleagues" (two queries); every page
    # of cards reads its polls once.
    assert max(large) <= 28
