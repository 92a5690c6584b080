"""How posts are matched against filters: keywords (case, whole words, unicode, content
warnings, image descriptions), filtered posts, reshares, contexts, expiry, own posts."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from staffroom.filters.selectors import keyword_pattern, viewer_filters, without_hidden
from staffroom.filters.services import KeywordChange, filter_create, filter_status_add
from staffroom.posts.services import reblog_create
from tests.factories import make_post

pytestmark = pytest.mark.django_db


def _filter(owner, *words, whole_word=True, context=("home",), action="warn", expires_in=None):
    return filter_create(
        actor=owner,
        title="Test filter",
        context=list(context),
        action=action,
        expires_in=expires_in,
        keywords=[KeywordChange(keyword=word, whole_word=whole_word) for word in words],
    )


def _matched(viewer, status, context="home"):
    return [
        (match.filter.title, match.keyword_matches, match.status_matches)
        for match in viewer_filters(viewer).matches(status, context)
    ]


@pytest.mark.parametrize(
    ("keyword", "whole_word", "text", "hit"),
    [
        ("test", True, "A TEST today", True),
        ("test", True, "testing today", False),
        ("test", False, "testing today", True),
        ("grading", True, "All that grading.", True),
        ("C++", True, "I teach C++ now", True),
        ("#edchat", True, "Join #edchat tonight", True),
        ("élève", True, "Un ÉLÈVE absent", True),
        ("élève", True, "Les élèves", False),
        ("über", False, "Das ÜBERSETZEN", True),
        ("数学", True, "今日は数学の授業", False),  # no word boundary inside CJK text
        ("数学", False, "今日は数学の授業", True),
        ("two words", True, "Two   words", True),  # spaces as a reader sees them
        ("two words", True, "say two words here", True),
    ],
)
def test_keyword_rules(ada, bo, keyword, whole_word, text, hit):
    _filter(ada, keyword, whole_word=whole_word)
    status = make_post(bo, text)
    assert bool(_matched(ada, status)) is hit


def test_whole_word_boundaries_only_where_the_keyword_has_word_characters():
    assert keyword_pattern("c++", whole_word=True) == r"\bc\+\+"
    assert keyword_pattern("#tag", whole_word=True) == r"\#tag\b"
    assert keyword_pattern("a.b", whole_word=False) == r"a\.b"


def test_content_warning_and_image_descriptions_are_matched(ada, bo):
    _filter(ada, "spoilers")
    warned = make_post(bo, "Nothing here", spoiler_text="Spoilers ahead")
    assert _matched(ada, warned) == [("Test filter", ["spoilers"], None)]


def test_html_is_matched_as_the_words_a_reader_sees(ada, bo):
    _filter(ada, "strong")
    status = make_post(bo, "**bold** words")
    assert _matched(ada, status) == []  # the markup's <strong> is not a word of the post


def test_a_reshare_is_matched_by_the_post_it_reshares(ada, bo, cy):
    _filter(ada, "homework")
    original = make_post(bo, "No homework this week")
    reshare = reblog_create(actor=cy, status=original)
    assert _matched(ada, reshare) == [("Test filter", ["homework"], None)]


def test_a_filtered_post_matches_by_id(ada, bo):
    made = _filter(ada)
    status = make_post(bo, "Anything")
    filter_status_add(actor=ada, filter_id=made.pk, status_id=status.pk)
    assert _matched(ada, status) == [("Test filter", None, [str(status.pk)])]


def test_only_filters_of_the_context_apply(ada, bo):
    _filter(ada, "exam", context=("public", "thread"))
    status = make_post(bo, "exam season")
    assert _matched(ada, status, "home") == []
    assert _matched(ada, status, "notifications") == []
    assert _matched(ada, status, "public")
    assert _matched(ada, status, "thread")


def test_an_expired_filter_no_longer_applies(ada, bo):
    _filter(ada, "exam", expires_in=60)
    status = make_post(bo, "exam season")
    assert _matched(ada, status)
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert _matched(ada, status) == []


def test_own_posts_never_match(ada):
    _filter(ada, "exam")
    assert _matched(ada, make_post(ada, "exam season")) == []


def test_others_filters_do_not_apply(ada, bo, cy):
    _filter(cy, "exam", action="hide")
    status = make_post(bo, "exam season")
    assert _matched(ada, status) == []
    assert without_hidden([status], ada, "home") == [status]
    assert without_hidden([status], cy, "home") == []


def test_hide_takes_posts_out_warn_keeps_them(ada, bo):
    _filter(ada, "exam", action="hide")
    _filter(ada, "grading", action="warn")
    hidden = make_post(bo, "exam season")
    warned = make_post(bo, "grading season")
    assert without_hidden([hidden, warned], ada, "home") == [warned]
    assert without_hidden([hidden, warned], None, "home") == [hidden, warned]


def test_keywords_are_read_once_per_request(ada, bo, django_assert_num_queries, rf):
    _filter(ada, "exam", "grading")
    posts = [make_post(bo, f"post {n}") for n in range(5)]
    request = rf.get("/")
    with django_assert_num_queries(4):  # filters, keywords, posts, descriptions
        filters = viewer_filters(ada, request)
        filters.prepare(posts)
    with django_assert_num_queries(0):
        assert viewer_filters(ada, request) is filters
        assert all(not filters.matches(post, "home") for post in posts)
