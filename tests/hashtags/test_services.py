"""Following and featuring hashtags: normal forms, idempotence, limits and bad names."""

from __future__ import annotations

import pytest

from staffroom.core.exceptions import NotFound, ValidationFailed
from staffroom.hashtags.models import FEATURED_TAGS_MAX, FeaturedTag, TagFollow
from staffroom.hashtags.services import (
    featured_tag_add,
    featured_tag_remove,
    tag_follow,
    tag_unfollow,
)
from staffroom.posts.models import Tag
from tests.factories import make_post

pytestmark = pytest.mark.django_db

BAD_NAMES = ["", "#", "C++", "ed chat", "a\x00b", "x" * 101, "x" * 10_000, "   "]


def test_following_a_new_tag_creates_it_under_the_spelling_given(ada):
    tag = tag_follow(actor=ada, name="#EdChat")
    assert (tag.name, tag.normalized) == ("EdChat", "edchat")
    assert TagFollow.objects.filter(profile=ada, tag=tag).count() == 1


def test_following_matches_the_tag_by_its_normal_form(ada, bo):
    make_post(bo, "Morning all #Café")
    tag = tag_follow(actor=ada, name="cafe")
    assert tag.name == "Café"
    assert Tag.objects.filter(normalized="cafe").count() == 1


def test_following_twice_and_unfollowing_twice_change_nothing_more(ada):
    first = tag_follow(actor=ada, name="edchat")
    again = tag_follow(actor=ada, name="EDCHAT")
    assert first.pk == again.pk
    assert TagFollow.objects.filter(profile=ada).count() == 1
    assert tag_unfollow(actor=ada, name="EdChat") == first
    assert tag_unfollow(actor=ada, name="edchat") == first
    assert not TagFollow.objects.filter(profile=ada).exists()


def test_unfollowing_a_tag_nobody_used_creates_nothing(ada):
    assert tag_unfollow(actor=ada, name="neverused") is None
    assert not Tag.objects.filter(normalized="neverused").exists()


@pytest.mark.parametrize("name", BAD_NAMES)
def test_a_name_that_cannot_be_a_hashtag_is_refused(ada, name):
    with pytest.raises(ValidationFailed):
        tag_follow(actor=ada, name=name)
    with pytest.raises(ValidationFailed):
        tag_unfollow(actor=ada, name=name)
    with pytest.raises(ValidationFailed):
        featured_tag_add(actor=ada, name=name)
    assert not Tag.objects.exists()


def test_featuring_is_idempotent_and_capped(ada):
    first = featured_tag_add(actor=ada, name="#MathChat")
    assert featured_tag_add(actor=ada, name="mathchat").pk == first.pk
    for number in range(FEATURED_TAGS_MAX - 1):
        featured_tag_add(actor=ada, name=f"tag{number}")
    with pytest.raises(ValidationFailed, match="at most 10"):
        featured_tag_add(actor=ada, name="onetoomany")
    assert FeaturedTag.objects.filter(profile=ada).count() == FEATURED_TAGS_MAX


def test_only_the_owner_removes_a_featured_tag(ada, bo):
    row = featured_tag_add(actor=ada, name="scichat")
    with pytest.raises(NotFound):
        featured_tag_remove(actor=bo, featured_tag_id=str(row.pk))
    for junk in ("", "abc", "99999999999999999999", "-1"):
        with pytest.raises(NotFound):
            featured_tag_remove(actor=ada, featured_tag_id=junk)
    featured_tag_remove(actor=ada, featured_tag_id=str(row.pk))
    assert not FeaturedTag.objects.exists()
    with pytest.raises(NotFound):
        featured_tag_remove(actor=ada, featured_tag_id=str(row.pk))


def test_posts_still_create_their_tags_through_the_same_service(ada):
    status = make_post(ada, "Try #NumberTalks and #numbertalks")
    assert [tag.name for tag in status.tags.all()] == ["NumberTalks"]
