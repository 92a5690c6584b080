"""The one block rule (`blocked_either_way_q` in SQL, `blocked_ids_for` in Python) and the
profiles a viewer may see (`profiles_visible_to`), built on it and on the standing rule."""

from __future__ import annotations

import pytest

from staffroom.graph.models import Follow
from staffroom.graph.selectors import (
    blocked_either_way_q,
    blocked_ids_for,
    is_blocked_either_way,
    profiles_visible_to,
    profiles_visible_to_user,
)
from staffroom.graph.services import block_create
from staffroom.moderation.services import account_suspend
from staffroom.profiles.models import Profile
from tests.factories import make_remote_profile, make_user

pytestmark = pytest.mark.django_db


def test_the_block_rule_covers_both_directions_in_both_forms(ada, bo, cy):
    dee = make_user(handle="dee").profile
    block_create(actor=ada, target=bo)  # ada blocks bo
    block_create(actor=cy, target=ada)  # cy blocks ada
    everyone = Profile.objects.filter(pk__in=[ada.pk, bo.pk, cy.pk, dee.pk])
    hidden = set(everyone.filter(blocked_either_way_q(ada)).values_list("pk", flat=True))
    assert hidden == {bo.pk, cy.pk} == blocked_ids_for(ada) == blocked_ids_for(ada.pk)
    assert blocked_ids_for(ada, among=[cy.pk, dee.pk]) == {cy.pk}
    assert set(everyone.exclude(blocked_either_way_q(bo)).values_list("pk", flat=True)) == {
        bo.pk,
        cy.pk,
        dee.pk,
    }
    assert is_blocked_either_way(ada, bo)
    assert is_blocked_either_way(bo, ada)
    assert is_blocked_either_way(ada.pk, cy)
    assert not is_blocked_either_way(bo, cy)


def test_the_block_rule_filters_rows_through_any_profile_field(ada, bo, cy):
    Follow.objects.create(follower=bo, followee=cy)
    Follow.objects.create(follower=ada, followee=cy)
    block_create(actor=bo, target=ada)
    follows = Follow.objects.filter(followee=cy).exclude(blocked_either_way_q(ada, "follower"))
    assert list(follows.values_list("follower_id", flat=True)) == [ada.pk]


def test_profiles_visible_to_leave_out_blocks_and_accounts_out_of_good_standing(ada, bo, cy):
    admin = make_user(handle="principal", is_staff=True)
    remote = make_remote_profile(handle="kim")
    banned = make_remote_profile(handle="spam", domain="spam.example")
    account_suspend(actor=admin, account_id=banned.pk)
    block_create(actor=bo, target=ada)
    candidates = [ada.pk, bo.pk, cy.pk, remote.pk, banned.pk]

    def seen(profiles) -> set[int]:
        return set(profiles.filter(pk__in=candidates).values_list("pk", flat=True))

    assert seen(profiles_visible_to(None)) == seen(profiles_visible_to_user(None))
    assert seen(profiles_visible_to(None)) == {ada.pk, bo.pk, cy.pk, remote.pk}
    assert seen(profiles_visible_to(ada)) == {ada.pk, cy.pk, remote.pk}
    assert seen(profiles_visible_to_user(ada.user_id)) == seen(profiles_visible_to(ada))
    assert seen(profiles_visible_to(bo)) == {bo.pk, cy.pk, remote.pk}
