"""The standing rule (`good_standing_q` in SQL, `Profile.is_in_good_standing` in Python):
pending, rejected, deactivated and suspended accounts are out, local or remote."""

from __future__ import annotations

import pytest

from staffroom.accounts.models import ApprovalState
from staffroom.accounts.services import account_reject
from staffroom.core.exceptions import NotFound
from staffroom.moderation.services import account_suspend, account_unsuspend
from staffroom.posts.models import Status
from staffroom.posts.selectors import visible_among, visible_statuses
from staffroom.profiles.models import Profile
from staffroom.profiles.selectors import profile_get_for_viewer, profile_lookup
from tests.factories import make_remote_profile, make_user

pytestmark = pytest.mark.django_db


def _standing(profile: Profile) -> bool:
    """Both forms of the rule, held to the same answer."""
    by_query = Profile.objects.in_good_standing().filter(pk=profile.pk).exists()
    loaded = Profile.objects.select_related("user").get(pk=profile.pk)
    assert loaded.is_in_good_standing is by_query, profile
    return by_query


@pytest.fixture
def staff():
    return make_user(handle="principal", is_staff=True)  # an administrator


def test_a_local_account_is_in_good_standing_only_when_approved_active_and_not_suspended(
    staff,
):
    approved = make_user(handle="ok").profile
    pending = make_user(handle="waiting", approval=ApprovalState.PENDING).profile
    rejected = make_user(handle="turned", approval=ApprovalState.PENDING)
    account_reject(user=rejected, actor=staff)
    deactivated = make_user(handle="gone")
    deactivated.is_active = False
    deactivated.save(update_fields=["is_active"])
    suspended = make_user(handle="banned").profile
    account_suspend(actor=staff, account_id=suspended.pk)
    assert _standing(approved)
    assert not _standing(pending)
    assert not _standing(rejected.profile)
    assert not _standing(deactivated.profile)
    assert not _standing(suspended)
    account_unsuspend(actor=staff, account_id=suspended.pk)
    assert _standing(suspended)


def test_a_remote_account_is_in_good_standing_until_a_moderator_suspends_it(staff):
    remote = make_remote_profile(handle="kim")
    assert _standing(remote)
    account_suspend(actor=staff, account_id=remote.pk)
    assert not _standing(remote)
    account_unsuspend(actor=staff, account_id=remote.pk)
    assert _standing(remote)


def test_a_suspended_remote_account_and_its_posts_are_hidden_everywhere(staff):
    """SECURITY-PLAN P-6."""
    viewer = make_user(handle="ada").profile
    remote = make_remote_profile(handle="kim")
    status = Status.objects.create(account=remote, uri="https://mastodon.example/s/1", thread_id=0)
    reshare = Status.objects.create(
        account=viewer, uri="https://staffroom.test/s/2", thread_id=0, reblog_of=status
    )
    assert profile_get_for_viewer(remote.pk, viewer.user) == remote
    for who in (None, viewer):
        assert set(visible_statuses(who).values_list("pk", flat=True)) == {status.pk, reshare.pk}
    account_suspend(actor=staff, account_id=remote.pk)
    for who in (None, viewer):
        assert not visible_statuses(who).exists()
        assert visible_among(who, [status.pk, reshare.pk]) == {}
    with pytest.raises(NotFound):
        profile_get_for_viewer(remote.pk, viewer.user)
    with pytest.raises(NotFound):
        profile_lookup("kim@mastodon.example", viewer.user)
