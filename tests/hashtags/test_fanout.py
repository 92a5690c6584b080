"""A followed hashtag's public posts in the home feed, through the stored feeds: who gets
them, who never does, backfill on follow and what unfollowing takes away."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from staffroom.graph.services import block_create, follow_create, mute_create
from staffroom.hashtags.services import tag_follow, tag_unfollow
from staffroom.posts.models import Visibility
from staffroom.posts.removal import status_remove, status_restore
from staffroom.posts.services import reblog_create
from staffroom.profiles.standing import profile_limit
from staffroom.timelines.fanout import audience_of
from staffroom.timelines.models import FeedEntry
from staffroom.timelines.selectors import home_timeline
from staffroom.timelines.tasks import TAG_BACKFILL_POSTS
from tests.factories import make_post, make_profiles

pytestmark = pytest.mark.django_db


@pytest.fixture
def follows_edchat(ada, run_jobs):
    tag_follow(actor=ada, name="#EdChat")
    run_jobs()
    return ada


def test_following_edchat_brings_its_public_posts_into_the_home_feed(follows_edchat, bo, publish):
    status = publish(bo, "Exit tickets that work #edchat")
    other = publish(bo, "Nothing tagged here")
    assert home_timeline(follows_edchat) == [status]
    assert other not in home_timeline(follows_edchat)


def test_the_tag_is_matched_by_its_normal_form(follows_edchat, bo, publish):
    status = publish(bo, "Same tag, other spelling #EDCHAT")
    assert home_timeline(follows_edchat) == [status]


@pytest.mark.parametrize(
    "visibility",
    [Visibility.UNLISTED, Visibility.FOLLOWERS, Visibility.CONNECTIONS, Visibility.DIRECT],
)
def test_only_public_posts_come_through_a_tag(follows_edchat, bo, publish, visibility):
    publish(bo, "Not for the tag feed #edchat", visibility=visibility)
    assert home_timeline(follows_edchat) == []
    assert not FeedEntry.objects.filter(owner=follows_edchat).exists()


def test_reshares_do_not_come_through_a_tag(follows_edchat, bo, cy, publish, run_jobs):
    original = make_post(bo, "Original #edchat")
    run_jobs()
    FeedEntry.objects.filter(owner=follows_edchat).delete()
    reshare = reblog_create(actor=cy, status=original)
    run_jobs()
    assert follows_edchat.pk not in audience_of(reshare).home


def test_a_blocked_author_never_comes_through_a_tag(follows_edchat, bo, cy, publish):
    block_create(actor=follows_edchat, target=bo)
    block_create(actor=cy, target=follows_edchat)
    publish(bo, "Blocked by the follower #edchat")
    publish(cy, "Blocking the follower #edchat")
    assert home_timeline(follows_edchat) == []
    assert not FeedEntry.objects.filter(owner=follows_edchat).exists()


def test_a_muted_author_never_comes_through_a_tag(follows_edchat, bo, publish):
    mute_create(actor=follows_edchat, target=bo)
    publish(bo, "Muted #edchat")
    assert not FeedEntry.objects.filter(owner=follows_edchat).exists()


def test_a_limited_author_never_comes_through_a_tag(follows_edchat, bo, publish):
    profile_limit(profile=bo)
    publish(bo, "Limited #edchat")
    assert not FeedEntry.objects.filter(owner=follows_edchat).exists()


def test_a_removed_post_leaves_and_a_restored_one_comes_back(follows_edchat, bo, publish, run_jobs):
    status = publish(bo, "Soon removed #edchat")
    assert home_timeline(follows_edchat) == [status]
    status_remove(status=status)
    run_jobs()
    assert home_timeline(follows_edchat) == []
    assert not FeedEntry.objects.filter(owner=follows_edchat).exists()
    status_restore(status=status)
    run_jobs()
    assert home_timeline(follows_edchat) == [status]


def test_a_follower_who_follows_the_tag_gets_one_row(follows_edchat, bo, publish, run_jobs):
    follow_create(actor=follows_edchat, target=bo)
    run_jobs()
    status = publish(bo, "Both ways #edchat")
    assert home_timeline(follows_edchat) == [status]
    assert FeedEntry.objects.filter(owner=follows_edchat, status=status).count() == 1


def test_following_brings_recent_public_posts_and_nothing_else(ada, bo, publish, run_jobs):
    public = publish(bo, "Earlier #scichat")
    publish(bo, "Earlier, for followers #scichat", visibility=Visibility.FOLLOWERS)
    publish(bo, "Earlier, untagged")
    tag_follow(actor=ada, name="SciChat")
    run_jobs()
    assert home_timeline(ada) == [public]


def test_unfollowing_takes_out_what_only_the_tag_brought(ada, bo, cy, publish, run_jobs):
    follow_create(actor=ada, target=cy)
    tag_follow(actor=ada, name="edchat")
    tag_follow(actor=ada, name="mathchat")
    run_jobs()
    only_tag = publish(bo, "Only the tag #edchat")
    followed_author = publish(cy, "From someone I follow #edchat")
    both_tags = publish(bo, "Two tags #edchat #mathchat")
    own = publish(ada, "My own #edchat")
    tag_unfollow(actor=ada, name="EdChat")
    feed = home_timeline(ada)
    assert only_tag not in feed
    assert {followed_author, both_tags, own} <= set(feed)
    later = publish(bo, "Later #edchat")
    assert later not in home_timeline(ada)


def test_tag_fan_out_costs_the_same_queries_whatever_the_number_of_followers(bo, run_jobs):
    first = make_profiles(1, "one")
    for profile in first:
        tag_follow(actor=profile, name="edchat")
    status = make_post(bo, "Counting queries #edchat")
    with CaptureQueriesContext(connection) as few:
        assert audience_of(status).home == {bo.pk, first[0].pk}
    many = make_profiles(12, "many")
    for profile in many:
        tag_follow(actor=profile, name="edchat")
    status = make_post(bo, "Counting again #edchat")
    with CaptureQueriesContext(connection) as lots:
        assert len(audience_of(status).home) == 14
    assert len(lots) == len(few)


def test_the_backfill_is_bounded_in_age_and_number(ada, bo, run_jobs):
    with time_machine.travel(timezone.now() - timedelta(days=8)):
        old = make_post(bo, "Too old for the backfill #langchat")
    recent = [
        make_post(bo, f"Recent {number} #langchat") for number in range(TAG_BACKFILL_POSTS + 2)
    ]
    run_jobs()  # their fan-out, before anyone follows the tag
    assert not FeedEntry.objects.filter(owner=ada).exists()
    tag_follow(actor=ada, name="langchat")
    run_jobs()
    brought = list(FeedEntry.objects.filter(owner=ada).values_list("status_id", flat=True))
    assert old.pk not in brought
    assert sorted(brought) == sorted(status.pk for status in recent[-TAG_BACKFILL_POSTS:])
