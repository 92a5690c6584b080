from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from staffroom.core.exceptions import NotFound
from staffroom.graph.selectors import (
    blocks_of,
    connections_of,
    follow_requests_for,
    mutes_of,
    purpose_list_get,
    purpose_list_members,
    purpose_lists_containing,
    purpose_lists_of,
)
from staffroom.graph.services import (
    block_create,
    connection_accept,
    connection_ask,
    follow_create,
    mute_create,
    purpose_list_create,
)


def test_follow_requests_for(ada, bo, locked):
    follow_create(actor=ada, target=locked)
    follow_create(actor=bo, target=locked)

    requests = follow_requests_for(viewer=locked)

    assert [r.follower for r in requests] == [bo, ada]
    assert [r.follower for r in follow_requests_for(viewer=locked, max_id=requests[0].pk)] == [ada]
    assert follow_requests_for(viewer=ada) == []


def test_blocks_and_mutes_of(ada, bo, cy):
    block_create(actor=ada, target=bo)
    mute_create(actor=ada, target=cy, duration=60)

    assert [b.blocked for b in blocks_of(viewer=ada)] == [bo]
    assert [m.muted for m in mutes_of(viewer=ada)] == [cy]
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert mutes_of(viewer=ada) == []


def test_connections_of(ada, bo, cy):
    connection_ask(actor=ada, target=bo)
    connection_accept(actor=bo, requester=ada)
    connection_ask(actor=cy, target=ada)

    [accepted] = connections_of(viewer=ada)
    [asked] = connections_of(viewer=ada, state="asked")

    assert accepted.other_party(ada.pk) == bo.pk
    assert asked.requester == cy


def test_purpose_list_reads_are_owner_only(ada, bo):
    mine = purpose_list_create(actor=ada, title="Mine")
    theirs = purpose_list_create(actor=bo, title="Theirs")
    follow_create(actor=ada, target=bo, purposes=[mine.pk])

    assert purpose_lists_of(viewer=ada) == [mine]
    assert purpose_list_get(viewer=ada, list_id=str(mine.pk)) == mine
    assert purpose_list_members(viewer=ada, list_id=mine.pk) == [bo]
    assert purpose_lists_containing(viewer=ada, profile=bo) == [mine]
    for bad in (theirs.pk, "x", 0):
        with pytest.raises(NotFound):
            purpose_list_get(viewer=ada, list_id=bad)
    with pytest.raises(NotFound):
        purpose_list_members(viewer=ada, list_id=theirs.pk)
