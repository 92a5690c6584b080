"""Stored feeds: fan-out on write, removal on unfollow, block and mute, backfill after a
follow, lists, trimming and the direct query beneath it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from staffroom.core.exceptions import NotFound
from staffroom.graph.models import Mute
from staffroom.graph.services import (
    block_create,
    connection_accept,
    connection_ask,
    follow_create,
    follow_delete,
    follow_set_purposes,
    mute_create,
    purpose_list_add_accounts,
    purpose_list_create,
    purpose_list_remove_accounts,
)
from staffroom.posts.models import Visibility
from staffroom.posts.removal import status_remove, status_restore
from staffroom.posts.services import reblog_create, status_delete
from staffroom.timelines import models as timeline_models
from staffroom.timelines.models import FeedEntry
from staffroom.timelines.selectors import (
    home_timeline,
    list_timeline,
    public_timeline,
    purpose_list_of,
)
from staffroom.timelines.tasks import feeds_trim
from tests.factories import make_post, make_profiles

pytestmark = pytest.mark.django_db


def test_a_post_reaches_followers_and_its_author(ada, bo, cy, run_jobs):
    follow_create(actor=bo, target=ada)
    run_jobs()
    status = make_post(ada, "New lesson plan")
    run_jobs()
    assert home_timeline(bo) == [status]
    assert home_timeline(ada) == [status]
    assert home_timeline(cy) == []


def test_followers_only_reaches_accepted_followers_not_requests(ada, bo, cy, run_jobs):
    ada.is_locked = True
    ada.save(update_fields=["is_locked"])
    follow_create(actor=bo, target=ada)  # a pending request
    run_jobs()
    make_post(ada, "for followers", visibility=Visibility.FOLLOWERS)
    run_jobs()
    assert home_timeline(bo) == []
    assert not FeedEntry.objects.filter(owner=bo).exists()


def test_connections_only_reaches_connections_not_other_followers(ada, bo, cy, run_jobs):
    connection_ask(actor=bo, target=ada)
    connection_accept(actor=ada, requester=bo)
    follow_create(actor=cy, target=ada)
    run_jobs()
    status = make_post(ada, "just us", visibility=Visibility.CONNECTIONS)
    run_jobs()
    assert status in home_timeline(bo)
    assert status not in home_timeline(cy)


def test_direct_posts_reach_only_the_mentioned(ada, bo, cy, run_jobs):
    """SECURITY-PLAN P-2."""
    follow_create(actor=cy, target=ada)
    run_jobs()
    status = make_post(ada, "psst @bo", visibility=Visibility.DIRECT)
    run_jobs()
    assert home_timeline(bo) == [status]
    assert home_timeline(cy) == []
    assert public_timeline(cy) == []


def test_a_reply_reaches_only_followers_of_both(ada, bo, cy, run_jobs):
    follow_create(actor=cy, target=ada)
    follow_create(actor=bo, target=ada)
    follow_create(actor=bo, target=cy)
    run_jobs()
    root = make_post(cy, "question")
    reply = make_post(ada, "answer", in_reply_to=root)
    run_jobs()
    assert reply in home_timeline(bo)  # follows ada and cy
    # cy follows ada, but a reply reaches a follower's home only when they also follow the
    # account replied to (here cy itself), as on Mastodon: cy hears of it by notification.
    assert reply not in home_timeline(cy)


def test_unfollow_removes_the_posts_at_once(ada, bo, run_jobs):
    follow_create(actor=bo, target=ada)
    run_jobs()
    make_post(ada)
    run_jobs()
    follow_delete(actor=bo, target=ada)
    assert home_timeline(bo) == []


def test_block_and_mute_remove_posts_and_reshares(ada, bo, cy, run_jobs):
    follow_create(actor=bo, target=ada)
    follow_create(actor=bo, target=cy)
    run_jobs()
    original = make_post(cy, "original")
    run_jobs()
    reshare = reblog_create(actor=ada, status=original)
    run_jobs()
    assert reshare in home_timeline(bo)
    mute_create(actor=bo, target=cy)
    assert home_timeline(bo) == []  # cy's post and ada's reshare of it
    block_create(actor=ada, target=bo)
    assert not FeedEntry.objects.filter(owner=bo, author_id=ada.pk).exists()


def test_posts_during_a_mute_stay_out_and_after_it_expires_come_in(ada, bo, run_jobs):
    follow_create(actor=bo, target=ada)
    run_jobs()
    mute_create(actor=bo, target=ada, duration=60)
    during = make_post(ada, "while muted")
    run_jobs()
    assert home_timeline(bo) == []
    Mute.objects.filter(muter=bo).update(expires_at=timezone.now() - timedelta(seconds=1))
    after = make_post(ada, "after the mute")
    run_jobs()
    assert home_timeline(bo) == [after]
    assert during not in home_timeline(bo)


def test_a_new_follow_backfills_recent_posts(ada, bo, run_jobs):
    older = [make_post(ada, f"post {n}") for n in range(3)]
    secret = make_post(ada, "followers", visibility=Visibility.FOLLOWERS)
    direct = make_post(ada, "dm to nobody", visibility=Visibility.DIRECT)
    run_jobs()
    follow_create(actor=bo, target=ada)
    run_jobs()
    feed = home_timeline(bo)
    assert feed == [secret, *reversed(older)]
    assert direct not in feed


def test_deleting_a_post_removes_it_from_feeds(ada, bo, run_jobs):
    follow_create(actor=bo, target=ada)
    run_jobs()
    status = make_post(ada)
    run_jobs()
    status_delete(actor=ada, status=status)
    assert home_timeline(bo) == []


def test_purpose_lists_and_exclusive_lists(ada, bo, cy, run_jobs):
    follow_create(actor=ada, target=bo)
    follow_create(actor=ada, target=cy)
    run_jobs()
    math = purpose_list_create(actor=ada, title="Math resources", purpose="resources")
    quiet = purpose_list_create(actor=ada, title="Quiet", purpose="inspiration", exclusive=True)
    purpose_list_add_accounts(actor=ada, list_id=math.pk, profile_ids=[bo.pk])
    purpose_list_add_accounts(actor=ada, list_id=quiet.pk, profile_ids=[cy.pk])
    run_jobs()
    from_bo = make_post(bo, "fractions")
    from_cy = make_post(cy, "poem")
    run_jobs()
    assert list_timeline(ada, math) == [from_bo]
    assert list_timeline(ada, quiet) == [from_cy]
    assert home_timeline(ada) == [from_bo]  # cy is in an exclusive list


def test_taking_someone_out_of_a_list_takes_their_posts_out_of_that_list_only(
    ada, bo, cy, run_jobs
):
    follow_create(actor=ada, target=bo)
    follow_create(actor=ada, target=cy)
    math = purpose_list_create(actor=ada, title="Math resources", purpose="resources")
    ideas = purpose_list_create(actor=ada, title="Ideas", purpose="inspiration")
    purpose_list_add_accounts(actor=ada, list_id=math.pk, profile_ids=[bo.pk, cy.pk])
    purpose_list_add_accounts(actor=ada, list_id=ideas.pk, profile_ids=[bo.pk])
    run_jobs()
    from_bo, from_cy = make_post(bo, "fractions"), make_post(cy, "ratios")
    run_jobs()
    assert list_timeline(ada, math) == [from_cy, from_bo]
    purpose_list_remove_accounts(actor=ada, list_id=math.pk, profile_ids=[bo.pk])
    assert list_timeline(ada, math) == [from_cy]
    assert not FeedEntry.objects.filter(list=math, author_id=bo.pk).exists()
    assert list_timeline(ada, ideas) == [from_bo]
    follow_set_purposes(actor=ada, target=bo, list_ids=[])  # out of the other list too
    assert not FeedEntry.objects.filter(list=ideas).exists()
    assert home_timeline(ada) == [from_cy, from_bo]


def test_a_post_a_moderator_removes_leaves_every_feed_with_its_reshares_and_comes_back(
    ada, bo, cy, run_jobs
):
    follow_create(actor=ada, target=bo)
    follow_create(actor=ada, target=cy)
    run_jobs()
    post = make_post(bo, "contested")
    run_jobs()
    reshare = reblog_create(actor=cy, status=post)
    run_jobs()
    assert FeedEntry.objects.filter(owner=ada, status=reshare).exists()
    status_remove(status=post)
    assert not FeedEntry.objects.filter(status__in=[post, reshare]).exists()
    status_restore(status=post)
    run_jobs()
    assert home_timeline(ada) == [post]
    assert FeedEntry.objects.filter(owner=bo, status=post).exists()


def test_the_trim_keeps_the_newest_rows_and_older_pages_come_from_the_graph(
    ada, bo, run_jobs, monkeypatch
):
    monkeypatch.setattr(timeline_models, "FEED_ROWS_MAX", 5)
    monkeypatch.setattr("staffroom.timelines.tasks.FEED_ROWS_MAX", 5)
    monkeypatch.setattr("staffroom.timelines.selectors.FEED_ROWS_MAX", 5)
    follow_create(actor=bo, target=ada)
    run_jobs()
    posts = [make_post(ada, f"post {n}") for n in range(12)]
    run_jobs()
    feeds_trim.func()
    assert FeedEntry.objects.filter(owner=bo).count() == 5
    first = home_timeline(bo, limit=5)
    assert first == list(reversed(posts))[:5]
    deeper = home_timeline(bo, limit=5, max_id=first[-1].pk)
    assert deeper == list(reversed(posts))[5:10]


def test_a_home_page_costs_the_same_queries_whatever_the_follows(
    ada, run_jobs, django_assert_max_num_queries
):
    authors = make_profiles(30, "author")
    for author in authors:
        follow_create(actor=ada, target=author)
    run_jobs()
    for author in authors:
        make_post(author, "something")
    run_jobs()
    # The page's ids, its rows, blocks with its authors (the re-check of visibility) and
    # the active mutes; nothing per account followed.
    with django_assert_max_num_queries(4):
        assert len(home_timeline(ada, limit=20)) == 20


def test_list_of_purpose_lists_is_per_owner(ada, bo):
    theirs = purpose_list_create(actor=bo, title="Bo's", purpose="resources")
    with pytest.raises(NotFound):
        purpose_list_of(ada, theirs.pk)
