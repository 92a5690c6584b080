from __future__ import annotations

import pytest

from staffroom.accounts.models import ApprovalState
from staffroom.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from staffroom.graph.models import Connection, Follow, FollowRequest, PurposeListMember
from staffroom.graph.selectors import follow_counts
from staffroom.graph.services import (
    block_create,
    connection_accept,
    connection_ask,
    follow_create,
    follow_delete,
    follow_request_authorize,
    follow_request_reject,
    follow_set_purposes,
    follower_remove,
    purpose_list_create,
)
from tests.factories import make_user


def test_follow_create_follows_an_open_account(ada, bo):
    follow = follow_create(actor=ada, target=bo, notify=True, reblogs=False)

    assert isinstance(follow, Follow)
    assert (follow.follower, follow.followee) == (ada, bo)
    assert follow.notify
    assert not follow.show_reblogs
    assert not follow.is_quiet
    assert follow_counts([ada.pk, bo.pk])[bo.pk].followers_count == 1
    assert follow_counts([ada.pk])[ada.pk].following_count == 1


def test_follow_create_twice_is_idempotent_and_updates_options(ada, bo):
    first = follow_create(actor=ada, target=bo)
    again = follow_create(actor=ada, target=bo, notify=True, quiet=True)

    assert again.pk == first.pk
    assert isinstance(again, Follow)
    assert again.notify
    assert again.is_quiet
    assert Follow.objects.count() == 1


def test_follow_create_again_without_options_keeps_them(ada, bo):
    follow_create(actor=ada, target=bo, notify=True, reblogs=False)

    again = follow_create(actor=ada, target=bo)

    assert isinstance(again, Follow)
    assert again.notify
    assert not again.show_reblogs


def test_follow_create_refuses_oneself(ada):
    with pytest.raises(ValidationFailed, match="yourself"):
        follow_create(actor=ada, target=ada)
    assert not Follow.objects.exists()


def test_follow_create_locked_account_makes_a_request(ada, locked):
    request = follow_create(actor=ada, target=locked)

    assert isinstance(request, FollowRequest)
    assert not Follow.objects.exists()
    assert follow_create(actor=ada, target=locked).pk == request.pk  # idempotent


def test_follow_create_locked_account_already_followed_returns_the_follow(ada, locked):
    follow_create(actor=ada, target=locked)
    follow = follow_request_authorize(actor=locked, requester=ada)

    assert follow_create(actor=ada, target=locked).pk == follow.pk
    assert not FollowRequest.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"is_active": False},
        {"approval": ApprovalState.PENDING},
        {"approval": ApprovalState.REJECTED},
    ],
)
def test_follow_create_unknown_to_accounts_not_in_good_standing(ada, change):
    user = make_user(handle="gone")
    for key, value in change.items():
        setattr(user, key, value)
    user.save()

    with pytest.raises(NotFound):
        follow_create(actor=ada, target=user.profile)
    assert not Follow.objects.exists()


def test_follow_create_someone_who_blocked_you_is_not_found(ada, bo):
    """SECURITY-PLAN P-8."""
    block_create(actor=bo, target=ada)

    with pytest.raises(NotFound):
        follow_create(actor=ada, target=bo)
    assert not Follow.objects.exists()


def test_follow_create_someone_you_blocked_is_denied(ada, bo):
    block_create(actor=ada, target=bo)

    with pytest.raises(PermissionDenied, match="Unblock"):
        follow_create(actor=ada, target=bo)


def test_follow_create_files_the_follow_under_purposes(ada, bo):
    lst = purpose_list_create(actor=ada, title="Math resources", purpose="resources")

    follow_create(actor=ada, target=bo, purposes=[str(lst.pk)])

    assert PurposeListMember.objects.filter(list=lst, profile=bo).exists()


def test_follow_create_with_another_users_list_is_not_found_and_changes_nothing(ada, bo):
    theirs = purpose_list_create(actor=bo, title="Bo's list")

    with pytest.raises(NotFound):
        follow_create(actor=ada, target=bo, purposes=[theirs.pk])
    assert not Follow.objects.exists()


def test_follow_request_authorize_applies_the_purposes_chosen(ada, locked):
    lst = purpose_list_create(actor=ada, title="Inspiration", purpose="inspiration")
    follow_create(actor=ada, target=locked, purposes=[lst.pk], reblogs=False)
    assert not PurposeListMember.objects.exists()

    follow = follow_request_authorize(actor=locked, requester=ada)

    assert not follow.show_reblogs
    assert PurposeListMember.objects.filter(list=lst, profile=locked).exists()
    assert not FollowRequest.objects.exists()


def test_follow_request_reject_deletes_it(ada, locked):
    follow_create(actor=ada, target=locked)

    follow_request_reject(actor=locked, requester=ada)

    assert not FollowRequest.objects.exists()
    assert not Follow.objects.exists()


def test_follow_request_authorize_without_a_request_is_not_found(ada, bo):
    with pytest.raises(NotFound):
        follow_request_authorize(actor=bo, requester=ada)
    with pytest.raises(NotFound):
        follow_request_reject(actor=bo, requester=ada)


def test_follow_delete_ends_connection_and_list_membership(ada, bo):
    lst = purpose_list_create(actor=ada, title="Mentors", purpose="mentorship")
    connection_ask(actor=ada, target=bo)
    connection_accept(actor=bo, requester=ada)
    follow_set_purposes(actor=ada, target=bo, list_ids=[lst.pk])

    assert follow_delete(actor=ada, target=bo) is True

    assert not Follow.objects.filter(follower=ada, followee=bo).exists()
    assert Follow.objects.filter(follower=bo, followee=ada).exists()
    assert not Connection.objects.exists()
    assert not PurposeListMember.objects.exists()
    assert follow_delete(actor=ada, target=bo) is False  # idempotent


def test_follow_delete_withdraws_a_pending_request(ada, locked):
    follow_create(actor=ada, target=locked)

    assert follow_delete(actor=ada, target=locked) is True
    assert not FollowRequest.objects.exists()


def test_follower_remove(ada, bo):
    connection_ask(actor=ada, target=bo)
    connection_accept(actor=bo, requester=ada)

    assert follower_remove(actor=bo, follower=ada) is True

    assert not Follow.objects.filter(follower=ada, followee=bo).exists()
    assert Follow.objects.filter(follower=bo, followee=ada).exists()
    assert not Connection.objects.exists()
    assert follower_remove(actor=bo, follower=ada) is False


def test_follow_set_purposes_replaces_the_lists(ada, bo):
    first = purpose_list_create(actor=ada, title="One")
    second = purpose_list_create(actor=ada, title="Two")
    follow_create(actor=ada, target=bo, purposes=[first.pk])

    follow_set_purposes(actor=ada, target=bo, list_ids=[second.pk])

    assert list(PurposeListMember.objects.values_list("list_id", flat=True)) == [second.pk]
    follow_set_purposes(actor=ada, target=bo, list_ids=[])
    assert not PurposeListMember.objects.exists()


def test_follow_set_purposes_for_a_pending_request_is_stored(ada, locked):
    lst = purpose_list_create(actor=ada, title="One")
    follow_create(actor=ada, target=locked)

    follow_set_purposes(actor=ada, target=locked, list_ids=[lst.pk])

    assert FollowRequest.objects.get().purpose_list_ids == [lst.pk]


def test_follow_set_purposes_refuses_an_account_not_followed(ada, bo):
    lst = purpose_list_create(actor=ada, title="One")

    with pytest.raises(ValidationFailed, match="follow"):
        follow_set_purposes(actor=ada, target=bo, list_ids=[lst.pk])
    assert not PurposeListMember.objects.exists()


def test_follow_set_purposes_with_another_users_list_is_not_found(ada, bo):
    follow_create(actor=ada, target=bo)
    theirs = purpose_list_create(actor=bo, title="Theirs")

    with pytest.raises(NotFound):
        follow_set_purposes(actor=ada, target=bo, list_ids=[theirs.pk])


def test_follow_create_after_unlock_turns_the_request_into_a_follow(ada, locked):
    lst = purpose_list_create(actor=ada, title="Later")
    follow_create(actor=ada, target=locked, purposes=[lst.pk])
    locked.is_locked = False
    locked.save(update_fields=["is_locked"])

    follow = follow_create(actor=ada, target=locked)

    assert isinstance(follow, Follow)
    assert not FollowRequest.objects.exists()
    assert PurposeListMember.objects.filter(list=lst, profile=locked).exists()


def test_follow_request_authorize_skips_lists_deleted_since(ada, locked):
    lst = purpose_list_create(actor=ada, title="Gone soon")
    follow_create(actor=ada, target=locked, purposes=[lst.pk])
    lst.delete()

    follow_request_authorize(actor=locked, requester=ada)

    assert not PurposeListMember.objects.exists()
