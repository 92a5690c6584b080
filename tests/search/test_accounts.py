"""People: fields searched, discoverability, blocks, standing, following, resolve."""

import pytest

from staffroom.graph.services import block_create, follow_create
from staffroom.profiles.professional import privacy_update
from staffroom.profiles.services import profile_update
from staffroom.profiles.standing import profile_limit, profile_suspend
from staffroom.search.selectors import search
from tests.factories import make_profile, make_remote_profile

pytestmark = pytest.mark.django_db


def handles(viewer, text, **options):
    return [
        profile.handle for profile in search(viewer, text, kinds=["accounts"], **options).accounts
    ]


@pytest.fixture
def viewer():
    return make_profile("viewer")


def test_accounts_match_bio_subjects_and_practices(viewer):
    make_profile("ada", subjects=["math"], display_name="Ada")
    bo = make_profile("bo")
    profile_update(profile=bo, note="I love zephyrine experiments")
    assert handles(viewer, "zephyrine") == ["bo"]
    assert "ada" in handles(viewer, "math")
    assert "ada" in handles(viewer, "mathematics")  # the subject's label


def test_a_profile_edit_is_searchable_at_once(viewer):
    bo = make_profile("bo")
    profile_update(profile=bo, display_name="Quillwort Teacher")
    assert handles(viewer, "quillwort") == ["bo"]
    profile_update(profile=bo, display_name="Someone")
    assert handles(viewer, "quillwort") == []


def test_more_matching_words_rank_higher(viewer):
    one = make_profile("one")
    both = make_profile("both")
    profile_update(profile=one, note="inquiry")
    profile_update(profile=both, note="inquiry and ratios")
    assert handles(viewer, "inquiry ratios") == ["both", "one"]


def test_a_non_discoverable_account_only_by_exact_handle(viewer):
    hidden = make_profile("hiddenhen")
    profile_update(profile=hidden, note="zephyrine")
    privacy_update(profile=hidden, is_discoverable=False)
    assert handles(viewer, "zephyrine") == []
    assert handles(viewer, "hidden") == []
    assert handles(viewer, "hiddenhen") == ["hiddenhen"]
    assert handles(viewer, "@hiddenhen") == ["hiddenhen"]
    assert handles(viewer, "@hiddenhen@localhost:8000") == ["hiddenhen"]


def test_a_blocked_users_name_is_not_found_either_way(viewer):
    blocked = make_profile("blockedbea", display_name="Zephyrine Bea")
    block_create(actor=viewer, target=blocked)
    assert handles(viewer, "zephyrine") == []
    assert handles(viewer, "blockedbea") == []
    assert handles(blocked, "viewer") == []


def test_suspended_and_limited_accounts(viewer):
    gone = make_profile("gone", display_name="Zephyrine Gone")
    limited = make_profile("limitedlu", display_name="Zephyrine Lu")
    profile_suspend(profile=gone)
    profile_limit(profile=limited)
    assert handles(viewer, "zephyrine") == []
    assert handles(viewer, "gone") == []
    assert handles(viewer, "limitedlu") == ["limitedlu"]  # exact handle still reaches them


def test_following_keeps_followed_accounts(viewer):
    followed = make_profile("zeph_one")
    make_profile("zeph_two")
    follow_create(actor=viewer, target=followed)
    assert set(handles(viewer, "zeph")) == {"zeph_one", "zeph_two"}
    assert handles(viewer, "zeph", following=True) == ["zeph_one"]
    assert handles(None, "zeph", following=True) == []


def test_resolve_reads_a_local_profile_url(viewer):
    make_profile("ada")
    assert handles(viewer, "http://localhost:8000/@ada", resolve=True) == ["ada"]
    assert handles(viewer, "http://localhost:8000/users/ada") == ["ada"]


def test_remote_accounts_by_address(viewer):
    remote = make_remote_profile("lee", "mastodon.example")
    found = search(viewer, "lee@mastodon.example", kinds=["accounts"]).accounts
    assert [profile.pk for profile in found] == [remote.pk]


def test_signed_out_visitors_find_people(viewer):
    make_profile("ada", display_name="Ada Zephyrine")
    assert handles(None, "zephyrine") == ["ada"]
