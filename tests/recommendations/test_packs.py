"""Starter packs (services and selectors): curating within the limits, who may change a
pack, following a whole pack into a purpose list with a per-account report, and nothing
half-done on a bad list."""

from __future__ import annotations

import pytest
from django.utils import timezone

from staffroom.accounts.models import StaffRole, User
from staffroom.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from staffroom.graph.models import Follow, FollowRequest, PurposeList, PurposeListMember
from staffroom.graph.services import block_create, follow_create, purpose_list_create
from staffroom.profiles.models import Profile
from staffroom.recommendations.models import StarterPack
from staffroom.recommendations.packs import (
    pack_members,
    packs_for,
    proposals_for,
    starter_pack_get,
    starter_packs,
)
from staffroom.recommendations.services import (
    FollowOutcome,
    PackFields,
    starter_pack_create,
    starter_pack_delete,
    starter_pack_follow,
    starter_pack_update,
)
from staffroom.recommendations.snapshot import snapshot_build
from tests.factories import make_profile
from tests.recommendations.community import build_community

pytestmark = pytest.mark.django_db


def _pack(curator: Profile, members: list[Profile], **fields: object) -> StarterPack:
    return starter_pack_create(
        actor=curator,
        fields=PackFields(
            title=str(fields.get("title", "Grade 7 math")),
            subjects=["math"],
            grade_bands=["6-8"],
            account_ids=[m.pk for m in members],
        ),
    )


def test_a_pack_of_151_accounts_is_refused_and_nothing_is_written():
    curator = make_profile("curator")
    many = [make_profile(f"t{i}").pk for i in range(151)]
    with pytest.raises(ValidationFailed, match="at most 150 accounts; this one has 151"):
        starter_pack_create(actor=curator, fields=PackFields(title="Too big", account_ids=many))
    assert not StarterPack.objects.exists()
    pack = starter_pack_create(
        actor=curator, fields=PackFields(title="Just right", account_ids=many[:150])
    )
    assert pack.memberships.count() == 150


def test_bad_fields_are_all_named_at_once():
    curator = make_profile("curator")
    hidden = make_profile("hidden")
    Profile.objects.filter(pk=hidden.pk).update(is_discoverable=False)
    with pytest.raises(ValidationFailed) as caught:
        starter_pack_create(
            actor=curator,
            fields=PackFields(
                title="  ",
                subjects=["alchemy"],
                grade_bands=["g7"],
                account_ids=["nope", 999999, hidden.pk],
            ),
        )
    message = str(caught.value)
    for expected in (
        "Give the pack a title",
        "Unknown subjects: alchemy",
        "Unknown grade bands: g7",
        "nope is not an account id",
        "Account 999999 was not found",
        "@hidden has chosen not to appear in suggestions",
    ):
        assert expected in message
    assert not StarterPack.objects.exists()


def test_only_the_curator_or_an_administrator_changes_a_pack():
    curator, other = make_profile("curator"), make_profile("other")
    admin = make_profile("admin_t")
    User.objects.filter(profile=admin).update(role=StaffRole.ADMIN)
    admin.refresh_from_db()
    member = make_profile("member")
    pack = _pack(curator, [member])
    with pytest.raises(PermissionDenied):
        starter_pack_update(actor=other, pack_id=pack.pk, fields=PackFields(title="Mine now"))
    with pytest.raises(PermissionDenied):
        starter_pack_delete(actor=other, pack_id=pack.pk)
    updated = starter_pack_update(
        actor=admin, pack_id=pack.pk, fields=PackFields(title="Grade 7 mathematics")
    )
    assert updated.title == "Grade 7 mathematics"
    assert updated.subjects == ["math"], "fields left out stay"
    with pytest.raises(NotFound):
        starter_pack_update(actor=curator, pack_id=123456789, fields=PackFields(title="x"))
    starter_pack_delete(actor=curator, pack_id=pack.pk)
    assert not StarterPack.objects.exists()


def test_following_a_pack_into_a_new_list_reports_each_account():
    reader = make_profile("reader")
    open_one, already, locked, blocker, blocked = (
        make_profile(h) for h in ("open_one", "already", "locked", "blocker", "blocked")
    )
    Profile.objects.filter(pk=locked.pk).update(is_locked=True)
    follow_create(actor=reader, target=already)
    pack = _pack(make_profile("curator"), [open_one, already, locked, blocker, blocked, reader])
    block_create(actor=blocker, target=reader)
    block_create(actor=reader, target=blocked)
    result = starter_pack_follow(
        actor=reader, pack=pack, new_list_title="Grade 7 math", new_list_purpose="resources"
    )
    outcomes = {profile.handle: outcome for profile, outcome in result.outcomes}
    assert outcomes == {
        "open_one": FollowOutcome.FOLLOWED,
        "already": FollowOutcome.ALREADY_FOLLOWING,
        "locked": FollowOutcome.REQUESTED,
        "blocker": FollowOutcome.UNAVAILABLE,
        "blocked": FollowOutcome.UNAVAILABLE,
        "reader": FollowOutcome.SELF,
    }
    made = PurposeList.objects.get(owner=reader)
    assert result.list_id == made.pk
    assert made.purpose == "resources"
    listed = set(PurposeListMember.objects.filter(list=made).values_list("profile_id", flat=True))
    assert listed == {open_one.pk, already.pk}
    assert FollowRequest.objects.filter(follower=reader, followee=locked).exists()
    assert not Follow.objects.filter(follower=reader, followee__in=[blocker, blocked]).exists()


def test_following_a_pack_into_someone_elses_list_changes_nothing():
    reader, owner = make_profile("reader"), make_profile("list_owner")
    theirs = purpose_list_create(actor=owner, title="Theirs", purpose="support")
    pack = _pack(make_profile("curator"), [make_profile("a1"), make_profile("a2")])
    with pytest.raises(NotFound):
        starter_pack_follow(actor=reader, pack=pack, list_id=theirs.pk)
    assert not Follow.objects.filter(follower=reader).exists()


def test_a_pack_page_hides_members_on_either_side_of_a_block_and_suspended_ones():
    viewer = make_profile("viewer")
    shown, blocker, gone = make_profile("shown"), make_profile("blocker"), make_profile("gone")
    pack = _pack(make_profile("curator"), [gone, blocker, shown])
    block_create(actor=blocker, target=viewer)
    User.objects.filter(profile=gone).update(is_active=False)
    assert [p.handle for p in pack_members(pack, viewer)] == ["shown"]
    assert [p.handle for p in pack_members(pack, None)] == ["blocker", "shown"]


def test_packs_and_proposals_for_a_teacher_follow_their_subjects_and_bands():
    community = build_community()
    snapshot_build()
    viewer = make_profile("viewer", subjects=["math"], grades=["g7"])
    mine = _pack(community.stars[0], community.math7[:4], title="Grade 7 math")
    starter_pack_create(
        actor=community.stars[0],
        fields=PackFields(title="Science 9-12", subjects=["science"], grade_bands=["9-12"]),
    )
    assert [p.pk for p in packs_for(viewer)] == [mine.pk]
    proposals = proposals_for(viewer)
    assert [(p.subject, p.band) for p in proposals] == [("math", "6-8")]
    assert {m.handle for m in proposals[0].members} == {p.handle for p in community.math7}


def test_a_member_who_stops_appearing_in_suggestions_leaves_the_pack_and_is_not_followed():
    reader = make_profile("reader")
    stays, hides, limited = make_profile("stays"), make_profile("hides"), make_profile("limited")
    pack = _pack(make_profile("curator"), [stays, hides, limited])
    Profile.objects.filter(pk=hides.pk).update(is_discoverable=False)
    Profile.objects.filter(pk=limited.pk).update(limited_at=timezone.now())
    assert [p.handle for p in pack_members(pack, reader)] == ["stays"]
    result = starter_pack_follow(actor=reader, pack=pack)
    outcomes = {profile.handle: outcome for profile, outcome in result.outcomes}
    assert outcomes == {
        "stays": FollowOutcome.FOLLOWED,
        "hides": FollowOutcome.UNAVAILABLE,
        "limited": FollowOutcome.UNAVAILABLE,
    }
    assert list(Follow.objects.filter(follower=reader).values_list("followee_id", flat=True)) == [
        stays.pk
    ]


def test_packs_hide_on_either_side_of_a_block_and_when_the_curator_is_suspended():
    viewer, blocker, gone = make_profile("viewer"), make_profile("blocker"), make_profile("gone")
    member = make_profile("member")
    theirs = _pack(blocker, [member], title="Blocker's pack")
    suspended = _pack(gone, [member], title="Gone's pack")
    mine = _pack(make_profile("curator"), [member], title="Open pack")
    block_create(actor=blocker, target=viewer)
    User.objects.filter(profile=gone).update(is_active=False)
    assert [p.title for p in starter_packs(viewer=viewer)] == ["Open pack"]
    assert {p.title for p in starter_packs()} == {"Open pack", "Blocker's pack"}
    with pytest.raises(NotFound):
        starter_pack_get(theirs.pk, viewer)
    with pytest.raises(NotFound):
        starter_pack_get(suspended.pk)
    assert starter_pack_get(mine.pk, viewer) == mine
