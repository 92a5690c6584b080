"""Fan-out writes stored feed rows for local accounts only: a remote follower, author or
mentioned account reads the post on its own server."""

from __future__ import annotations

import pytest

from staffroom.graph.models import Follow
from staffroom.posts.models import Mention, Status, Visibility
from staffroom.timelines.fanout import audience_of, backfill, fan_out
from staffroom.timelines.models import FeedEntry
from tests.factories import make_remote_profile

pytestmark = pytest.mark.django_db


def _owners(status: Status) -> set[int]:
    return set(FeedEntry.objects.filter(status=status).values_list("owner_id", flat=True))


@pytest.mark.parametrize("visibility", [Visibility.PUBLIC, Visibility.FOLLOWERS])
def test_a_local_post_reaches_local_followers_and_no_remote_one(ada, bo, post, visibility):
    kim = make_remote_profile(handle="kim")
    Follow.objects.create(follower=bo, followee=ada)
    Follow.objects.create(follower=kim, followee=ada)
    status = post(ada, "hello", visibility=visibility)
    fan_out(status)
    assert _owners(status) == {ada.pk, bo.pk}


def test_a_direct_post_reaches_the_local_mentioned_only(ada, bo, post):
    kim = make_remote_profile(handle="kim")
    status = post(ada, "hello @bo", visibility=Visibility.DIRECT)
    Mention.objects.create(status=status, profile=kim)
    fan_out(status)
    assert _owners(status) == {ada.pk, bo.pk}


def test_a_remote_post_reaches_local_followers_and_not_its_author(bo, cy):
    kim = make_remote_profile(handle="kim")
    lee = make_remote_profile(handle="lee", domain="other.example")
    for follower in (bo, lee):
        Follow.objects.create(follower=follower, followee=kim)
    status = Status.objects.create(account=kim, uri="https://mastodon.example/s/1", thread_id=0)
    reshare = Status.objects.create(
        account=cy, uri="https://staffroom.test/s/2", thread_id=0, reblog_of=status
    )
    Follow.objects.create(follower=bo, followee=cy)
    Follow.objects.create(follower=lee, followee=cy)
    assert audience_of(status).home == {bo.pk}
    fan_out(status)
    fan_out(reshare)
    assert _owners(status) == {bo.pk}
    assert _owners(reshare) == {cy.pk, bo.pk}


def test_backfill_writes_nothing_for_a_remote_follower(ada, post):
    kim = make_remote_profile(handle="kim")
    post(ada, "hello")
    Follow.objects.create(follower=kim, followee=ada)
    assert backfill(owner_id=kim.pk, author_id=ada.pk, list_id=None, count=40) == 0
    assert not FeedEntry.objects.filter(owner=kim).exists()
