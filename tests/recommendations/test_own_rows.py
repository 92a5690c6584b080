"""`own_rows` reads a teacher's rows in one hand-written statement; it must give what the
ORM's rules give (follows, requests, dismissals, active mutes, blocks either way, lists)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from staffroom.graph.models import (
    Follow,
    FollowRequest,
    Mute,
    PurposeList,
    PurposeListMember,
)
from staffroom.graph.selectors import active_mutes, blocked_ids_for
from staffroom.graph.services import block_create, follow_create, mute_create
from staffroom.graph.services.lists import purpose_list_add_accounts, purpose_list_create
from staffroom.profiles.models import ProfileTerm
from staffroom.profiles.professional import ProfessionalChanges, privacy_update, professional_update
from staffroom.recommendations.models import Dismissal
from staffroom.recommendations.own_rows import own_rows
from staffroom.recommendations.services import suggestion_dismiss
from tests.factories import make_profiles

pytestmark = pytest.mark.django_db


def test_own_rows_match_the_orm_rules_for_every_kind_of_row():
    me, *others = make_profiles(15, "t")
    for target in others[:4]:
        follow_create(actor=me, target=target)
    for follower in others[2:7]:
        follow_create(actor=follower, target=me)
    locked = others[7]
    privacy_update(profile=locked, is_locked=True)
    follow_create(actor=me, target=locked)  # a request, not a follow
    suggestion_dismiss(actor=me, target_id=others[8].pk)
    mute_create(actor=me, target=others[9])
    mute_create(actor=me, target=others[10], duration=3600)
    mute_create(actor=me, target=others[11], duration=60)
    Mute.objects.filter(muted=others[11]).update(expires_at=timezone.now() - timedelta(seconds=1))
    block_create(actor=me, target=others[12])
    block_create(actor=others[13], target=me)
    mine = purpose_list_create(actor=me, title="Math ideas", purpose="resources")
    theirs = purpose_list_create(actor=others[2], title="Colleagues", purpose="support")
    purpose_list_add_accounts(actor=others[2], list_id=theirs.pk, profile_ids=[me.pk])

    professional_update(
        profile=me, changes=ProfessionalChanges(subjects=["math"], grades=["g7"], tags=["robots"])
    )
    ProfileTerm.objects.create(profile=me, kind="tag", value="odd: a, b")  # not from the form
    with CaptureQueriesContext(connection) as queries:
        rows = own_rows(me)
    assert len(queries) == 1
    assert sorted(rows.terms) == sorted(
        ProfileTerm.objects.filter(profile=me).values_list("kind", "value")
    )
    assert ("tag", "odd: a, b") in rows.terms

    def ids(values) -> list[int]:
        return sorted(values)

    assert rows.followees.tolist() == ids(
        Follow.objects.filter(follower=me).values_list("followee_id", flat=True)
    )
    assert rows.followers.tolist() == ids(
        Follow.objects.filter(followee=me).values_list("follower_id", flat=True)
    )
    assert rows.pending.tolist() == ids(
        FollowRequest.objects.filter(follower=me).values_list("followee_id", flat=True)
    )
    assert rows.pending.tolist() == [locked.pk]
    assert rows.dismissed.tolist() == ids(
        Dismissal.objects.filter(profile=me).values_list("dismissed_id", flat=True)
    )
    assert rows.muted.tolist() == ids(active_mutes(me).values_list("muted_id", flat=True))
    assert rows.muted.tolist() == sorted([others[9].pk, others[10].pk])  # the expired one not
    assert rows.blocked.tolist() == ids(blocked_ids_for(me))
    assert rows.blocked.tolist() == sorted([others[12].pk, others[13].pk])
    assert rows.lists_owned.tolist() == ids(
        PurposeList.objects.filter(owner=me).values_list("pk", flat=True)
    )
    assert rows.lists_owned.tolist() == [mine.pk]
    assert rows.lists_member.tolist() == ids(
        PurposeListMember.objects.filter(profile=me).values_list("list_id", flat=True)
    )
    assert rows.lists_member.tolist() == [theirs.pk]
    excluded = rows.excluded(me)
    assert excluded == {
        me.pk,
        locked.pk,
        others[8].pk,
        others[9].pk,
        others[10].pk,
        others[12].pk,
        others[13].pk,
    }


def test_a_teacher_with_no_rows_gets_empty_arrays():
    (me,) = make_profiles(1, "t")
    rows = own_rows(me)
    for name in ("followees", "followers", "pending", "dismissed", "muted", "blocked"):
        assert getattr(rows, name).tolist() == []
    assert rows.excluded(me) == {me.pk}
    assert rows.terms == ()
