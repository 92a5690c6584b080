"""A tag's history (per UTC day: public uses and distinct authors), this week's people,
and the suggestions of hashtags to feature."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from staffroom.hashtags.selectors import (
    featured_tag_suggestions,
    tag_history,
    tag_named,
    tag_panel,
    tag_people_this_week,
)
from staffroom.hashtags.services import featured_tag_add, tag_follow
from staffroom.posts.removal import status_remove
from staffroom.posts.services import reblog_create
from staffroom.profiles.standing import profile_limit
from tests.factories import make_post

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


def _post_at(when: datetime, author, text: str, **options):
    with time_machine.travel(when, tick=False):
        return make_post(author, text, **options)


def test_history_counts_public_uses_and_authors_per_day(ada, bo, cy):
    _post_at(NOW, ada, "#edchat one")
    _post_at(NOW - timedelta(hours=1), ada, "#edchat two")
    _post_at(NOW - timedelta(hours=2), bo, "#EdChat three")
    _post_at(NOW - timedelta(days=2), cy, "#edchat earlier")
    _post_at(NOW - timedelta(days=9), cy, "#edchat too old")
    _post_at(NOW, cy, "#edchat unlisted", visibility="unlisted")
    removed = _post_at(NOW, cy, "#edchat removed")
    status_remove(status=removed)
    original = _post_at(NOW, bo, "#edchat to reshare")
    with time_machine.travel(NOW, tick=False):
        reblog_create(actor=cy, status=original)
    tag = tag_named("edchat")
    assert tag is not None
    [days] = tag_history([tag.pk], now=NOW).values()
    assert len(days) == 7
    assert days[0].day == NOW.date()
    assert [(day.uses, day.accounts) for day in days] == [
        (4, 2),
        (0, 0),
        (1, 1),
        (0, 0),
        (0, 0),
        (0, 0),
        (0, 0),
    ]


def test_a_limited_author_does_not_count(ada, bo):
    _post_at(NOW, ada, "#scichat ok")
    _post_at(NOW, bo, "#scichat limited")
    profile_limit(profile=bo)
    tag = tag_named("scichat")
    assert tag is not None
    assert tag_history([tag.pk], now=NOW)[tag.pk][0].accounts == 1
    assert tag_people_this_week(tag.pk, now=NOW) == 1


def test_history_of_many_tags_is_one_query(ada, django_assert_num_queries):
    for name in ("one", "two", "three"):
        _post_at(NOW, ada, f"#{name}")
    ids = [tag.pk for tag in (tag_named(name) for name in ("one", "two", "three")) if tag]
    with django_assert_num_queries(1):
        history = tag_history(ids, now=NOW)
    assert {tag_id: days[0].uses for tag_id, days in history.items()} == dict.fromkeys(ids, 1)
    assert tag_history([], now=NOW) == {}


def test_people_this_week_counts_distinct_authors_of_the_last_seven_days(ada, bo):
    _post_at(NOW - timedelta(days=1), ada, "#mathchat a")
    _post_at(NOW - timedelta(days=2), ada, "#mathchat b")
    _post_at(NOW - timedelta(days=3), bo, "#mathchat c")
    _post_at(NOW - timedelta(days=8), bo, "#mathchat old")
    tag = tag_named("MATHCHAT")
    assert tag is not None
    assert tag_people_this_week(tag.pk, now=NOW) == 2


def test_tag_named_and_the_panel(ada):
    assert tag_named("C++") is None
    assert tag_named("nobodyyet") is None
    tag_follow(actor=ada, name="EdChat")
    panel = tag_panel(ada, "#edchat")
    assert (panel.name, panel.following, panel.valid) == ("EdChat", True, True)
    assert tag_panel(None, "edchat").following is False
    assert tag_panel(ada, "C++").valid is False


def test_suggestions_leave_out_featured_tags_and_others_posts(ada, bo):
    make_post(ada, "#b #a")
    make_post(ada, "#a again")
    make_post(ada, "#c")
    make_post(bo, "#d #d2")
    featured_tag_add(actor=ada, name="c")
    assert [tag.name for tag in featured_tag_suggestions(ada)] == ["a", "b"]
