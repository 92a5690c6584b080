"""The search page: tabs, snippets, empty and bad-input states, and privacy as each viewer
sees it."""

from __future__ import annotations

import pytest
from django.test import Client

from staffroom.graph.services import block_create, follow_create
from staffroom.posts.models import Status
from staffroom.posts.services import bookmark_create
from staffroom.profiles.models import Profile
from tests.factories import make_post, make_profile

pytestmark = pytest.mark.django_db

BAD_QUERIES = [
    "co-teaching",
    "#edchat",
    "C++",
    '"',
    "*",
    "NEAR(",
    "AND OR NOT",
    "x" * 10_000,
    "'; DROP TABLE posts_status; --",
    "from:",
    "#",
]


def _client(profile: Profile | None = None) -> Client:
    client = Client()
    if profile is not None:
        assert profile.user is not None
        client.force_login(profile.user)
    return client


@pytest.fixture
def network() -> dict[str, Profile]:
    """An author who posts publicly and to followers, a follower, a stranger, someone the
    author blocked."""
    author = make_profile("rosa", display_name="Rosa Inquiry", subjects=["math"])
    follower = make_profile("fola")
    stranger = make_profile("stan")
    blocked = make_profile("blix")
    follow_create(actor=follower, target=author)
    block_create(actor=author, target=blocked)
    make_post(author, "Inquiry ratios with seventh graders: tape diagrams first #MathChat")
    make_post(author, "Followers only: inquiry ratios quiz answers", visibility="followers")
    return {"author": author, "follower": follower, "stranger": stranger, "blocked": blocked}


def test_an_empty_search_explains_what_can_be_found(network: dict[str, Profile]) -> None:
    page = _client(network["stranger"]).get("/search")
    assert page.status_code == 200
    body = page.content.decode()
    assert "How to search" in body
    assert "search-tabs" not in body


def test_every_page_has_the_search_box_in_its_header(network: dict[str, Profile]) -> None:
    for client in (_client(), _client(network["stranger"])):
        body = client.get("/about").content.decode()
        assert 'role="search"' in body
        assert 'action="/search"' in body


def test_a_followers_only_post_is_found_only_by_a_follower_who_bookmarked_it(
    network: dict[str, Profile],
) -> None:
    """Mastodon 4.2's rule: a non-public post is found only by those who interacted with
    it (and may see it); following the author is not enough."""
    follower_before = _client(network["follower"]).get("/search", {"q": "inquiry ratios"})
    assert "quiz answers" not in follower_before.content.decode()
    quiz = Status.objects.get(text__contains="quiz answers")
    bookmark_create(actor=network["follower"], status=quiz)
    follower_page = _client(network["follower"]).get("/search", {"q": "inquiry ratios"})
    stranger_page = _client(network["stranger"]).get("/search", {"q": "inquiry ratios"})
    assert "quiz answers" in follower_page.content.decode()
    stranger = stranger_page.content.decode()
    assert "tape diagrams" in stranger
    assert "quiz answers" not in stranger


def test_matched_words_are_marked_in_the_snippet(network: dict[str, Profile]) -> None:
    body = _client(network["stranger"]).get("/search", {"q": "ratios", "type": "statuses"})
    assert "<mark>ratios</mark>" in body.content.decode().lower()


def test_the_blocked_teacher_finds_neither_the_author_nor_her_posts(
    network: dict[str, Profile],
) -> None:
    body = _client(network["blocked"]).get("/search", {"q": "inquiry"}).content.decode()
    assert "tape diagrams" not in body
    assert "Rosa Inquiry" not in body


def test_signed_out_visitors_find_people_and_hashtags_but_not_posts(
    network: dict[str, Profile],
) -> None:
    body = _client().get("/search", {"q": "rosa"}).content.decode()
    assert "Rosa Inquiry" in body
    posts = _client().get("/search", {"q": "tape diagrams", "type": "statuses"}).content.decode()
    assert "Sign in to search posts" in posts
    assert "seventh graders" not in posts


def test_the_people_tab_shows_only_people(network: dict[str, Profile]) -> None:
    body = _client(network["stranger"]).get("/search", {"q": "inquiry", "type": "accounts"})
    text = body.content.decode()
    assert "Rosa Inquiry" in text
    assert 'id="posts-heading"' not in text
    assert 'aria-current="page">People' in text


def test_the_hashtags_tab_links_to_tag_pages(network: dict[str, Profile]) -> None:
    body = _client(network["stranger"]).get("/search", {"q": "#mathchat", "type": "hashtags"})
    assert 'href="/tags/MathChat"' in body.content.decode()


def test_a_post_behind_a_content_warning_keeps_its_text_folded(
    network: dict[str, Profile],
) -> None:
    make_post(network["author"], "Spoiler: the unit test answers", spoiler_text="Answer key")
    body = _client(network["stranger"]).get("/search", {"q": "unit test answers"}).content
    text = body.decode()
    assert "Content warning: Answer key" in text
    assert "<details>" in text


def test_html_in_a_post_is_shown_as_text_in_its_snippet(network: dict[str, Profile]) -> None:
    make_post(network["author"], "Escaping lesson: `<script>alert(1)</script>` is text")
    body = _client(network["stranger"]).get("/search", {"q": "escaping lesson"}).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_nothing_found_says_so(network: dict[str, Profile]) -> None:
    body = _client(network["stranger"]).get("/search", {"q": "zyzzyva"}).content.decode()
    assert "Nothing matches" in body


@pytest.mark.parametrize("query", BAD_QUERIES, ids=range(len(BAD_QUERIES)))
def test_bad_input_is_read_as_words_never_an_error(network: dict[str, Profile], query: str) -> None:
    for tab in ("all", "accounts", "statuses", "hashtags"):
        answer = _client(network["stranger"]).get("/search", {"q": query, "type": tab})
        assert answer.status_code == 200, (query, tab)


def test_a_nul_in_the_query_is_a_clear_400(network: dict[str, Profile]) -> None:
    answer = _client(network["stranger"]).get("/search", {"q": "ratios\x00drop"})
    assert answer.status_code == 400
    assert "NUL character" in answer.content.decode()


def test_absurd_offsets_and_unknown_tabs_are_ignored(network: dict[str, Profile]) -> None:
    client = _client(network["stranger"])
    for params in (
        {"q": "inquiry", "type": "statuses", "offset": "99999999999999999999"},
        {"q": "inquiry", "type": "statuses", "offset": "-5"},
        {"q": "inquiry", "type": "nonsense"},
    ):
        assert client.get("/search", params).status_code == 200, params


def test_only_people_i_follow_narrows_people_and_posts(network: dict[str, Profile]) -> None:
    other = make_profile("otto", display_name="Otto Inquiry")
    make_post(other, "Inquiry ratios from a stranger's classroom")
    follower = _client(network["follower"])
    everyone = follower.get("/search", {"q": "inquiry"}).content.decode()
    assert "Otto Inquiry" in everyone
    assert "stranger&#x27;s classroom" in everyone or "stranger's classroom" in everyone
    followed = follower.get("/search", {"q": "inquiry", "following": "1"}).content.decode()
    assert "Rosa Inquiry" in followed
    assert "tape diagrams" in followed
    assert "Otto Inquiry" not in followed
    assert "classroom" not in followed
