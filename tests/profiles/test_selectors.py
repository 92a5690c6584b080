"""Profile selectors: lookup by address, search ranking, directory rules."""

import pytest

from staffroom.accounts.models import ApprovalState
from staffroom.core.exceptions import NotFound
from staffroom.profiles.selectors import (
    directory_list,
    profile_get_for_viewer,
    profile_lookup,
    split_acct,
)
from staffroom.search.selectors import search
from tests.factories import make_profile, make_remote_profile, make_user


def _accounts(text, viewer=None):
    profile = getattr(viewer, "profile", viewer)
    return search(profile, text, kinds=["accounts"]).accounts


@pytest.mark.parametrize(
    ("acct", "expected"),
    [
        ("ana", ("ana", "")),
        ("@ana", ("ana", "")),
        (" ana@LocalHost:8000 ", ("ana", "")),
        ("ana@Mastodon.Example", ("ana", "mastodon.example")),
        ("@ana@mastodon.example", ("ana", "mastodon.example")),
    ],
)
def test_split_acct(acct, expected):
    assert split_acct(acct) == expected


@pytest.mark.django_db
def test_profile_lookup_tells_local_and_remote_apart():
    local = make_profile("sam")
    far = make_remote_profile("Sam")
    assert profile_lookup("SAM") == local
    assert profile_lookup("sam@localhost:8000") == local
    assert profile_lookup("sam@mastodon.example") == far
    with pytest.raises(NotFound, match="Record not found"):
        profile_lookup("sam@other.example")


@pytest.mark.django_db
def test_owner_still_sees_their_own_pending_profile():
    pending = make_user(handle="newbie", approval=ApprovalState.PENDING)
    with pytest.raises(NotFound):
        profile_get_for_viewer(pending.profile.pk, None)
    assert profile_get_for_viewer(pending.profile.pk, pending) == pending.profile
    assert profile_lookup("newbie", pending) == pending.profile
    assert _accounts("newbie", pending) == []  # lists never show it


@pytest.mark.django_db
def test_account_search_ranks_exact_then_prefix_then_display_name():
    make_user(handle="rowan", display_name="Physics")
    make_user(handle="rowanda")
    make_user(handle="kit", display_name="Rowan's colleague")
    make_remote_profile("rowan")
    found = [p.acct for p in _accounts("Rowan")]
    assert found == ["rowan", "rowanda", "rowan@mastodon.example", "kit"]


@pytest.mark.django_db
def test_account_search_finds_remote_accounts_by_domain_prefix():
    make_remote_profile("lee", domain="mastodon.example")
    make_remote_profile("lee", domain="other.example")
    assert [p.domain for p in _accounts("lee@mast")] == ["mastodon.example"]


@pytest.mark.django_db
def test_directory_list_includes_remote_discoverable_unless_local():
    make_user(handle="here")
    make_remote_profile("there")
    make_remote_profile("hidden", is_discoverable=False)
    assert {p.handle for p in directory_list()} == {"here", "there"}
    assert {p.handle for p in directory_list(local=True)} == {"here"}
