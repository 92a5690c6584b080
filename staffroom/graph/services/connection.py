"""Connections: a mutual follow plus an accepted connection record (DESIGN.md).

Asking creates no follow; accepting creates any missing follows in both directions and
approves pending follow requests between the two. Unfollowing either way, removing a
follower, or blocking deletes the record (see follow.py and block.py).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from staffroom.core.events import ConnectionAccepted, ConnectionAsked, emit
from staffroom.core.exceptions import NotFound
from staffroom.graph.models import Connection, ConnectionState, FollowRequest
from staffroom.graph.services._common import (
    NOT_FOUND,
    lock_pair,
    require_other,
    require_reachable,
)
from staffroom.graph.services.follow import follow_make, follow_request_approve
from staffroom.profiles.models import Profile


def _between(first: Profile, second: Profile) -> Connection | None:
    return (
        Connection.objects.select_for_update()
        .filter(Q(requester=first, addressee=second) | Q(requester=second, addressee=first))
        .first()
    )


@transaction.atomic
def connection_ask(*, actor: Profile, target: Profile) -> Connection:
    """`actor` asks `target` to connect; returns the connection record.

    Idempotent: asking again, or asking someone already connected, returns the existing
    record. Asking someone who has already asked you accepts their request (both want it).
    Emits ConnectionAsked for a new ask, ConnectionAccepted (and FollowCreated for each
    follow made) for an acceptance.
    Locks both profile rows (lock_pair). Raises ValidationFailed for oneself; NotFound for
    an account not in good standing or one that blocks the actor; PermissionDenied when the
    actor blocks the target.
    """
    require_other(actor, target, _("You cannot connect with yourself."))
    lock_pair(actor, target)
    require_reachable(actor, target)
    existing = _between(actor, target)
    if existing is None:
        try:
            with transaction.atomic():
                asked = Connection.objects.create(requester=actor, addressee=target)
        except IntegrityError:
            # The other person asked at the same moment: the pair constraint kept one row.
            existing = _between(actor, target)
            if existing is None:  # pragma: no cover - the row that won was deleted meanwhile
                raise
        else:
            emit(
                ConnectionAsked(
                    connection_id=asked.pk, requester_id=actor.pk, addressee_id=target.pk
                )
            )
            return asked
    if existing.state == ConnectionState.ASKED and existing.addressee_id == actor.pk:
        return _accept(existing)
    return existing


def _accept(connection: Connection) -> Connection:
    requester, addressee = connection.requester, connection.addressee
    for follower, followee in ((requester, addressee), (addressee, requester)):
        request = FollowRequest.objects.filter(follower=follower, followee=followee).first()
        if request is not None:
            follow_request_approve(request)
        else:
            follow_make(follower=follower, followee=followee)
    connection.state = ConnectionState.ACCEPTED
    connection.accepted_at = timezone.now()
    connection.save(update_fields=["state", "accepted_at"])
    emit(
        ConnectionAccepted(
            connection_id=connection.pk,
            requester_id=connection.requester_id,
            addressee_id=connection.addressee_id,
        )
    )
    return connection


@transaction.atomic
def connection_accept(*, actor: Profile, requester: Profile) -> Connection:
    """`actor` accepts `requester`'s request to connect.

    Creates any missing follows in both directions (locks do not apply: each side has
    consented) and approves pending follow requests between the two with the options and
    purposes they carry. Accepting an already accepted connection returns it unchanged.
    Raises NotFound when `requester` has not asked, or is no longer in good standing.
    """
    lock_pair(actor, requester)
    connection = _between(actor, requester)
    if connection is None or (
        connection.state == ConnectionState.ASKED and connection.requester_id != requester.pk
    ):
        raise NotFound(NOT_FOUND)
    if connection.state == ConnectionState.ACCEPTED:
        return connection
    if not Profile.objects.in_good_standing().filter(pk=requester.pk).exists():
        raise NotFound(NOT_FOUND)
    return _accept(connection)


@transaction.atomic
def connection_decline(*, actor: Profile, requester: Profile) -> None:
    """`actor` declines `requester`'s request to connect (the record is deleted; follows are
    untouched). Raises NotFound when there is no pending request from `requester`."""
    deleted, _counts = Connection.objects.filter(
        requester=requester, addressee=actor, state=ConnectionState.ASKED
    ).delete()
    if not deleted:
        raise NotFound(NOT_FOUND)


@transaction.atomic
def connection_end(*, actor: Profile, target: Profile) -> bool:
    """`actor` disconnects from `target`, or withdraws their own pending ask.

    Follows stay as they are (unfollowing is a separate choice). Idempotent: returns False
    when there was no connection record between the two.
    """
    deleted, _counts = Connection.objects.filter(
        Q(requester=actor, addressee=target) | Q(requester=target, addressee=actor)
    ).delete()
    return bool(deleted)
