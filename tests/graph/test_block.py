from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from staffroom.core.exceptions import ValidationFailed
from staffroom.graph.models import (
    Block,
    Connection,
    Follow,
    FollowRequest,
    Mute,
    PurposeListMember,
)
from staffroom.graph.selectors import blocked_ids_for, muted_ids_for, relationships
from staffroom.graph.services import (
    block_create,
    block_delete,
    connection_accept,
    connection_ask,
    follow_create,
    follow_set_purposes,
    mute_create,
    mute_delete,
    purpose_list_create,
)


def test_block_create_ends_everything_both_ways(ada, bo, cy):
    connection_ask(actor=ada, target=bo)
    connection_accept(actor=bo, requester=ada)
    ada_list = purpose_list_create(actor=ada, title="A")
    bo_list = purpose_list_create(actor=bo, title="B")
    follow_set_purposes(actor=ada, target=bo, list_ids=[ada_list.pk])
    follow_set_purposes(actor=bo, target=ada, list_ids=[bo_list.pk])
    follow_create(actor=cy, target=ada)

    block = block_create(actor=ada, target=bo)

    assert not Follow.objects.filter(follower__in=[ada, bo], followee__in=[ada, bo]).exists()
    assert not Connection.objects.exists()
    assert not PurposeListMember.objects.exists()
    assert Follow.objects.filter(follower=cy, followee=ada).exists()  # others untouched
    assert block_create(actor=ada, target=bo).pk == block.pk  # idempotent
    assert blocked_ids_for(ada) == {bo.pk}
    assert blocked_ids_for(bo) == {ada.pk}


def test_block_create_ends_pending_requests_both_ways(ada, locked):
    ada.is_locked = True
    ada.save(update_fields=["is_locked"])
    follow_create(actor=ada, target=locked)
    follow_create(actor=locked, target=ada)

    block_create(actor=locked, target=ada)

    assert not FollowRequest.objects.exists()


def test_block_create_refuses_oneself(ada):
    with pytest.raises(ValidationFailed):
        block_create(actor=ada, target=ada)


def test_block_delete_restores_nothing(ada, bo):
    follow_create(actor=ada, target=bo)
    block_create(actor=bo, target=ada)

    assert block_delete(actor=bo, target=ada) is True

    assert not Block.objects.exists()
    assert not Follow.objects.exists()
    assert block_delete(actor=bo, target=ada) is False


def test_relationships_show_blocking_and_blocked_by(ada, bo):
    block_create(actor=ada, target=bo)

    [rel] = relationships(viewer=bo, targets=[ada])
    [own] = relationships(viewer=ada, targets=[bo])

    assert rel.blocked_by
    assert not rel.blocking
    assert own.blocking
    assert not own.blocked_by


def test_mute_create_hides_until_it_expires(ada, bo):
    mute = mute_create(actor=ada, target=bo, duration=3600)

    assert mute.expires_at is not None
    assert muted_ids_for(ada) == {bo.pk}
    assert relationships(viewer=ada, targets=[bo])[0].muting
    with time_machine.travel(timezone.now() + timedelta(hours=1, seconds=1)):
        assert muted_ids_for(ada) == set()
        assert not relationships(viewer=ada, targets=[bo])[0].muting


def test_mute_create_notifications_option(ada, bo, cy):
    mute_create(actor=ada, target=bo, notifications=False)
    mute_create(actor=ada, target=cy)

    assert muted_ids_for(ada) == {bo.pk, cy.pk}
    assert muted_ids_for(ada, notifications=True) == {cy.pk}
    rel_bo, rel_cy = relationships(viewer=ada, targets=[bo, cy])
    assert rel_bo.muting
    assert not rel_bo.muting_notifications
    assert rel_cy.muting_notifications


def test_mute_create_again_replaces_options_and_keeps_follows(ada, bo):
    follow_create(actor=ada, target=bo)
    mute_create(actor=ada, target=bo, duration=60)

    mute = mute_create(actor=ada, target=bo, notifications=False)

    assert Mute.objects.count() == 1
    assert mute.expires_at is None
    assert not mute.hide_notifications
    assert Follow.objects.exists()


@pytest.mark.parametrize("duration", [-1, 10**12])
def test_mute_create_refuses_bad_durations(ada, bo, duration):
    with pytest.raises(ValidationFailed):
        mute_create(actor=ada, target=bo, duration=duration)
    assert not Mute.objects.exists()


def test_mute_create_refuses_oneself(ada):
    with pytest.raises(ValidationFailed):
        mute_create(actor=ada, target=ada)


def test_mute_delete(ada, bo):
    mute_create(actor=ada, target=bo)

    assert mute_delete(actor=ada, target=bo) is True
    assert mute_delete(actor=ada, target=bo) is False
    assert muted_ids_for(ada) == set()
