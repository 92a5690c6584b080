"""The per-profile counters move with every follow and post, whichever path made or removed
it, and always equal a recount from the rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from staffroom.core.events import BulkLoaded, emit
from staffroom.graph.models import Follow
from staffroom.graph.services import block_create, follow_create, follow_delete
from staffroom.leaving.deletion import account_delete_run
from staffroom.posts.models import Visibility
from staffroom.posts.removal import status_remove
from staffroom.posts.services import (
    PostText,
    reblog_create,
    status_create,
    status_delete,
    statuses_delete,
)
from staffroom.profiles.models import Profile, ProfileStats
from staffroom.profiles.stats import stats_for, stats_of, stats_recount
from tests.factories import make_profile, make_user

pytestmark = pytest.mark.django_db

FIELDS = ("followers_count", "following_count", "statuses_count")


def _snapshot() -> dict[int, tuple[int, ...]]:
    return {
        row.profile_id: tuple(getattr(row, name) for name in FIELDS)
        for row in ProfileStats.objects.all()
        if any(getattr(row, name) for name in FIELDS)
    }


def test_counters_equal_a_recount_after_every_kind_of_change():
    ada, bo, cy, dee = (make_profile(h) for h in ("ada", "bo", "cy", "dee"))
    follow_create(actor=bo, target=ada)
    follow_create(actor=cy, target=ada)
    follow_create(actor=ada, target=cy)
    follow_create(actor=dee, target=ada)
    first = status_create(author=ada, draft=PostText(text="one"))
    status_create(author=ada, draft=PostText(text="psst @bo"), visibility=Visibility.DIRECT)
    reply = status_create(author=bo, draft=PostText(text="reply"), in_reply_to=first)
    reblog_create(actor=cy, status=first)
    follow_delete(actor=dee, target=ada)
    block_create(actor=ada, target=cy)  # removes the follows both ways
    status_delete(actor=bo, status=reply)

    incremental = _snapshot()
    assert incremental[ada.pk] == (1, 0, 1)  # bo follows; the direct post is not counted
    assert stats_for([ada.pk])[ada.pk].last_status_at is not None
    stats_recount()
    assert _snapshot() == incremental


def test_deleting_an_account_lowers_its_neighbours_counters():
    ada, bo = make_profile("ada"), make_user(handle="bo")
    follow_create(actor=bo.profile, target=ada)
    follow_create(actor=ada, target=bo.profile)
    status_create(author=bo.profile, draft=PostText(text="bye"))
    bo.is_active = False  # what asking for deletion does before the job runs
    bo.save(update_fields=["is_active"])
    assert account_delete_run(user_id=bo.pk)
    assert stats_for([ada.pk])[ada.pk].followers_count == 0
    assert stats_for([ada.pk])[ada.pk].following_count == 0
    assert not ProfileStats.objects.filter(profile_id=bo.profile.pk).exists()
    incremental = _snapshot()
    stats_recount()
    assert _snapshot() == incremental


def test_a_profile_without_a_row_reads_as_zeros():
    ada = make_profile("ada")
    ProfileStats.objects.filter(profile=ada).delete()
    stats = stats_for([ada.pk])[ada.pk]
    assert (stats.followers_count, stats.statuses_count, stats.last_status_at) == (0, 0, None)


def test_stats_loaded_with_the_profiles_are_used_and_the_rest_read_in_one_query():
    ada, bo, cy = (make_profile(h) for h in ("ada", "bo", "cy"))
    follow_create(actor=bo, target=ada)
    follow_create(actor=cy, target=ada)
    ProfileStats.objects.filter(profile=cy).delete()  # a profile without a row yet
    loaded = list(Profile.objects.filter(pk__in=[ada.pk, cy.pk]).select_related("stats"))
    plain = Profile.objects.get(pk=bo.pk)
    with CaptureQueriesContext(connection) as queries:
        stats = stats_of([*loaded, plain])
    assert len(queries) == 1  # only bo's, which was not loaded
    assert stats[ada.pk].followers_count == 2
    assert stats[bo.pk].following_count == 1
    assert stats[cy.pk].following_count == 0  # zeros, not an error
    with CaptureQueriesContext(connection) as queries:
        stats_of(loaded)
    assert len(queries) == 0


def test_deleting_a_reshared_post_lowers_the_resharers_count():
    ada, bo = make_user(handle="ada").profile, make_user(handle="bo").profile
    post = status_create(author=ada, draft=PostText(text="worth sharing"))
    reblog_create(actor=bo, status=post)
    assert stats_for([bo.pk])[bo.pk].statuses_count == 1
    status_delete(actor=ada, status=post)  # the reshare goes with it
    assert stats_for([bo.pk])[bo.pk].statuses_count == 0
    incremental = _snapshot()
    stats_recount()
    assert _snapshot() == incremental


def test_a_removed_post_deleted_later_is_uncounted_once():
    ada = make_user(handle="ada").profile
    status_create(author=ada, draft=PostText(text="kept"))
    post = status_create(author=ada, draft=PostText(text="removed, then deleted"))
    status_remove(status=post)
    assert stats_for([ada.pk])[ada.pk].statuses_count == 1
    post.refresh_from_db()
    statuses_delete([post.pk])
    assert stats_for([ada.pk])[ada.pk].statuses_count == 1


def test_a_bulk_load_recounts_what_it_wrote():
    ada, bo = make_user(handle="ada").profile, make_user(handle="bo").profile
    Follow.objects.bulk_create([Follow(follower=bo, followee=ada)])  # around the services
    assert stats_for([ada.pk])[ada.pk].followers_count == 0
    emit(BulkLoaded(models=frozenset({"graph.Follow"})))
    assert stats_for([ada.pk])[ada.pk].followers_count == 1
