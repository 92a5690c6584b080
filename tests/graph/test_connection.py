from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from staffroom.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from staffroom.graph.models import Connection, ConnectionState, Follow, FollowRequest
from staffroom.graph.services import (
    block_create,
    connection_accept,
    connection_ask,
    connection_decline,
    connection_end,
    follow_create,
    purpose_list_create,
)


def _follows(first, second) -> bool:
    return Follow.objects.filter(follower=first, followee=second).exists()


def test_connection_ask_creates_no_follow(ada, bo):
    connection = connection_ask(actor=ada, target=bo)

    assert connection.state == ConnectionState.ASKED
    assert not Follow.objects.exists()
    assert connection_ask(actor=ada, target=bo).pk == connection.pk  # idempotent


def test_connection_accept_creates_both_follows(ada, bo):
    connection_ask(actor=ada, target=bo)

    connection = connection_accept(actor=bo, requester=ada)

    assert connection.state == ConnectionState.ACCEPTED
    assert connection.accepted_at is not None
    assert _follows(ada, bo)
    assert _follows(bo, ada)
    assert connection_accept(actor=bo, requester=ada).pk == connection.pk


def test_connection_accept_approves_pending_requests_both_ways(ada, locked):
    ada.is_locked = True
    ada.save(update_fields=["is_locked"])
    lst = purpose_list_create(actor=ada, title="Support", purpose="support")
    follow_create(actor=ada, target=locked, purposes=[lst.pk], notify=True)
    follow_create(actor=locked, target=ada)
    assert FollowRequest.objects.count() == 2
    connection_ask(actor=locked, target=ada)

    connection_accept(actor=ada, requester=locked)

    assert not FollowRequest.objects.exists()
    assert Follow.objects.get(follower=ada, followee=locked).notify
    assert _follows(locked, ada)
    assert lst.memberships.filter(profile=locked).exists()


def test_connection_ask_back_accepts(ada, bo):
    connection_ask(actor=ada, target=bo)

    connection = connection_ask(actor=bo, target=ada)

    assert connection.state == ConnectionState.ACCEPTED
    assert Connection.objects.count() == 1
    assert _follows(ada, bo)
    assert _follows(bo, ada)


def test_connection_pair_is_unique_in_the_database(ada, bo):
    Connection.objects.create(requester=ada, addressee=bo)

    with pytest.raises(IntegrityError), transaction.atomic():
        Connection.objects.create(requester=bo, addressee=ada)


def test_connection_accept_by_the_asker_or_without_ask_is_not_found(ada, bo):
    with pytest.raises(NotFound):
        connection_accept(actor=bo, requester=ada)
    connection_ask(actor=ada, target=bo)
    with pytest.raises(NotFound):
        connection_accept(actor=ada, requester=bo)
    assert not Follow.objects.exists()


def test_connection_decline(ada, bo):
    connection_ask(actor=ada, target=bo)

    connection_decline(actor=bo, requester=ada)

    assert not Connection.objects.exists()
    with pytest.raises(NotFound):
        connection_decline(actor=bo, requester=ada)


def test_connection_end_keeps_follows(ada, bo):
    connection_ask(actor=ada, target=bo)
    connection_accept(actor=bo, requester=ada)

    assert connection_end(actor=bo, target=ada) is True

    assert not Connection.objects.exists()
    assert _follows(ada, bo)
    assert _follows(bo, ada)
    assert connection_end(actor=bo, target=ada) is False


def test_connection_ask_refuses_oneself_and_blocks(ada, bo, cy):
    with pytest.raises(ValidationFailed):
        connection_ask(actor=ada, target=ada)
    block_create(actor=bo, target=ada)
    with pytest.raises(NotFound):
        connection_ask(actor=ada, target=bo)
    with pytest.raises(PermissionDenied):
        connection_ask(actor=bo, target=ada)
    assert not Connection.objects.exists()
