from __future__ import annotations

from staffroom.graph.selectors import (
    follow_counts,
    followers_of,
    following_of,
    relationships,
)
from staffroom.graph.services import (
    block_create,
    connection_accept,
    connection_ask,
    follow_create,
    mute_create,
    purpose_list_create,
)
from tests.factories import make_profile, make_profiles


def test_relationships_fields(ada, bo, cy, locked):
    lst = purpose_list_create(actor=ada, title="Mine")
    follow_create(actor=ada, target=bo, purposes=[lst.pk], notify=True)
    follow_create(actor=bo, target=ada)
    follow_create(actor=ada, target=locked)
    connection_ask(actor=cy, target=ada)

    rel_bo, rel_cy, rel_locked = relationships(viewer=ada, targets=[bo, cy, locked])

    assert rel_bo.following
    assert rel_bo.followed_by
    assert rel_bo.notifying
    assert rel_bo.showing_reblogs
    assert rel_bo.purposes == [lst.pk]
    assert not rel_bo.connected
    assert rel_cy.connection_requested_by
    assert not rel_cy.following
    assert rel_locked.requested
    assert not rel_locked.following
    assert (rel_bo.domain_blocking, rel_bo.endorsed, rel_bo.note) == (False, False, "")
    [from_locked] = relationships(viewer=locked, targets=[ada])
    assert from_locked.requested_by


def test_relationships_connected(ada, bo):
    connection_ask(actor=ada, target=bo)
    assert relationships(viewer=ada, targets=[bo])[0].connection_requested
    connection_accept(actor=bo, requester=ada)

    [rel] = relationships(viewer=ada, targets=[bo])

    assert rel.connected
    assert rel.following
    assert rel.followed_by


def test_relationships_anonymous_and_unknown_ids(ada, django_assert_num_queries):
    with django_assert_num_queries(0):
        [rel] = relationships(viewer=None, targets=[ada])
    assert not rel.following
    [unknown] = relationships(viewer=ada, targets=[987654321])
    assert unknown.id == 987654321
    assert not unknown.following


def test_relationships_in_constant_queries(ada, django_assert_max_num_queries):
    others = make_profiles(12, "peer")
    lst = purpose_list_create(actor=ada, title="Mine")
    for index, other in enumerate(others):
        follow_create(actor=ada, target=other, purposes=[lst.pk])
        if index % 2:
            follow_create(actor=other, target=ada)
        if index % 3 == 0:
            mute_create(actor=ada, target=other)
        if index % 4 == 0:
            connection_ask(actor=other, target=ada)
    block_create(actor=others[-1], target=ada)

    with django_assert_max_num_queries(8):
        few = relationships(viewer=ada, targets=others[:2])
    with django_assert_max_num_queries(8):
        many = relationships(viewer=ada, targets=others)

    assert len(few) == 2
    assert len(many) == 12
    assert many[-1].blocked_by


def test_followers_and_following_pages(ada, bo, cy):
    follow_create(actor=bo, target=ada)
    follow_create(actor=cy, target=ada)
    follow_create(actor=ada, target=bo)

    followers = followers_of(profile=ada, viewer=None)
    assert [edge.profile for edge in followers] == [cy, bo]  # newest first
    assert [edge.profile for edge in following_of(profile=ada, viewer=bo)] == [bo]

    [older] = followers_of(profile=ada, viewer=None, limit=1, max_id=followers[0].id)
    assert older.profile == bo
    [newer] = followers_of(profile=ada, viewer=None, limit=1, min_id=followers[1].id)
    assert newer.profile == cy
    assert followers_of(profile=ada, viewer=None, since_id=followers[0].id) == []


def test_followers_page_query_budget(ada, django_assert_max_num_queries):
    for number in range(10):
        follow_create(actor=make_profile(f"fan{number}"), target=ada)

    with django_assert_max_num_queries(2):
        page = followers_of(profile=ada, viewer=ada, limit=40)
        [edge.profile.user for edge in page]

    assert len(page) == 10


def test_hide_follows_shows_lists_only_to_the_owner(ada, bo, cy):
    follow_create(actor=bo, target=ada)
    follow_create(actor=ada, target=cy)
    ada.hide_follows = True
    ada.save(update_fields=["hide_follows"])

    assert followers_of(profile=ada, viewer=bo) == []
    assert following_of(profile=ada, viewer=None) == []
    assert [e.profile for e in followers_of(profile=ada, viewer=ada)] == [bo]
    assert [e.profile for e in following_of(profile=ada, viewer=ada)] == [cy]
    assert follow_counts([ada.pk])[ada.pk].followers_count == 1


def test_follow_lists_honour_blocks(ada, bo, cy):
    follow_create(actor=bo, target=ada)
    follow_create(actor=cy, target=ada)
    block_create(actor=ada, target=cy)  # ended cy's follow; now hide cy the other way
    follow_create(actor=bo, target=cy)
    block_create(actor=bo, target=cy)

    assert followers_of(profile=ada, viewer=cy) == []  # ada blocks cy
    assert followers_of(profile=bo, viewer=cy) == []  # bo blocks cy
    dee = make_profile("dee")
    follow_create(actor=dee, target=ada)
    block_create(actor=dee, target=bo)

    assert [e.profile for e in followers_of(profile=ada, viewer=bo)] == [bo]  # dee hidden
    assert [e.profile for e in followers_of(profile=ada, viewer=None)] == [dee, bo]


def test_follow_lists_leave_out_accounts_not_in_good_standing(ada, bo):
    follow_create(actor=bo, target=ada)
    bo.user.is_active = False
    bo.user.save(update_fields=["is_active"])

    assert followers_of(profile=ada, viewer=ada) == []
