"""Suggestions on live data (`selectors.py`): explained at once for a new teacher, responsive
to follows, blocks, mutes and "not for me" without a new snapshot, and never showing an
account that left suggestions since the snapshot."""

from __future__ import annotations

import pytest

from staffroom.core.exceptions import NotFound, ValidationFailed
from staffroom.graph.services import block_create, follow_create, mute_create
from staffroom.graph.services.lists import purpose_list_add_accounts, purpose_list_create
from staffroom.profiles.models import Profile
from staffroom.recommendations.models import FeatureSnapshot
from staffroom.recommendations.selectors import list_suggestions, similar_to, suggestions_for
from staffroom.recommendations.services import suggestion_dismiss, suggestion_undismiss
from staffroom.recommendations.snapshot import current_snapshot, snapshot_build
from tests.conftest import Shared
from tests.factories import make_profile
from tests.recommendations.community import Community

pytestmark = pytest.mark.django_db


@pytest.fixture
def community(built: Shared[Community], db) -> Community:
    return built.for_test()


def handles(found) -> list[str]:
    return [item.profile.handle for item in found]


def test_a_new_teacher_who_picks_grade7_math_sees_explained_suggestions_at_once(community):
    newcomer = make_profile(
        "newcomer", subjects=["math"], grades=["g7"], practices=["inquiry-based-learning"]
    )
    found = suggestions_for(newcomer, limit=10)
    assert found, "a profile alone is enough for suggestions"
    top = handles(found)[:5]
    assert all(handle.startswith("m7_") for handle in top), top
    first = found[0]
    assert "Mathematics" in first.reason
    assert "Grade 7" in first.reason
    assert first.reasons
    assert {"kind", "text", "weight"} <= set(first.reasons_dicts()[0])
    assert abs(sum(r.weight for r in first.reasons) - 1.0) < 0.05
    assert first.sources


def test_a_newcomers_peers_in_subject_and_grade_come_before_popular_accounts_of_others(
    community,
):
    """All ten grade 7 math teachers (half of them with the newcomer's exact profile)
    before the art teachers of another grade whom everyone follows."""
    newcomer = make_profile(
        "newcomer", subjects=["math"], grades=["g7"], practices=["inquiry-based-learning"]
    )
    order = handles(suggestions_for(newcomer, limit=30))
    first_star = min(order.index(h) for h in order if h.startswith("star_"))
    peers = [order.index(p.handle) for p in community.math7]
    assert max(peers) < first_star, order


def test_following_three_grade7_math_teachers_raises_the_other_grade7_math_teachers(community):
    fresh = make_profile("fresh")  # no subjects or grades: only the graph can tell

    def mean_rank_of_math7(skip: set[str]) -> float:
        order = handles(suggestions_for(fresh, limit=40))
        ranks = [order.index(h) for h in order if h.startswith("m7_") and h not in skip]
        return sum(ranks) / len(ranks)

    followed = {p.handle for p in community.math7[:3]}
    before = mean_rank_of_math7(followed)
    cold = handles(suggestions_for(fresh, limit=10))
    for colleague in community.math7[:3]:
        follow_create(actor=fresh, target=colleague)
    after = handles(suggestions_for(fresh, limit=10))
    assert not followed & set(after), "followed accounts leave the suggestions at once"
    assert mean_rank_of_math7(followed) < before

    def math7_in(found: list[str]) -> int:
        return sum(1 for h in found if h.startswith("m7_"))

    assert math7_in(after) > math7_in(cold), (cold, after)


def test_blocks_mutes_and_blockers_leave_the_next_suggestions(community):
    viewer = make_profile("viewer", subjects=["math"], grades=["g7"])
    first = handles(suggestions_for(viewer, limit=30))
    blocked, muted, blocker = community.math7[0], community.math7[1], community.math7[2]
    assert {blocked.handle, muted.handle, blocker.handle} <= set(first)
    block_create(actor=viewer, target=blocked)
    mute_create(actor=viewer, target=muted)
    block_create(actor=blocker, target=viewer)
    after = set(handles(suggestions_for(viewer, limit=30)))
    assert not {blocked.handle, muted.handle, blocker.handle} & after
    assert FeatureSnapshot.objects.count() == 1, "no rebuild was needed"


def test_not_for_me_sticks_for_every_purpose_and_counts_against_similar_accounts(community):
    viewer = make_profile("viewer")
    for star in community.stars[:2]:
        follow_create(actor=viewer, target=star)
    dismissed = community.math7[4]

    def scores() -> dict[str, float]:
        return {s.profile.handle: s.score for s in suggestions_for(viewer, limit=40)}

    before = scores()
    suggestion_dismiss(actor=viewer, target_id=dismissed.pk)
    after = scores()
    assert dismissed.handle not in after
    for purpose in ("resources", "inspiration", "support", "mentorship", "practices"):
        assert dismissed.handle not in handles(suggestions_for(viewer, purpose=purpose, limit=40))
    alike = [h for h in after if h.startswith("m7_")]
    unlike = [h for h in after if h.startswith("s10_")]
    assert alike
    assert unlike
    assert all(after[h] < before[h] for h in alike), "teachers like the dismissed one drop"
    assert all(after[h] == pytest.approx(before[h]) for h in unlike)
    assert suggestion_undismiss(actor=viewer, target_id=dismissed.pk)
    assert dismissed.handle in handles(suggestions_for(viewer, limit=40))


def test_an_account_that_leaves_suggestions_after_the_snapshot_is_not_shown(community):
    viewer = make_profile("viewer", subjects=["math"], grades=["g7"])
    away, hidden = community.math7[0], community.math7[1]
    Profile.objects.filter(pk=away.pk).update(is_away=True)
    Profile.objects.filter(pk=hidden.pk).update(is_discoverable=False)
    found = set(handles(suggestions_for(viewer, limit=40)))
    assert away.handle not in found
    assert hidden.handle not in found


def test_a_teacher_who_joined_after_the_snapshot_is_suggested_after_the_next_one(community):
    viewer = make_profile("viewer", subjects=["math"], grades=["g7"])
    late = make_profile("late", subjects=["math"], grades=["g7"])
    assert late.handle not in handles(suggestions_for(viewer, limit=40))
    snapshot_build()
    assert late.handle in handles(suggestions_for(viewer, limit=40))
    assert FeatureSnapshot.objects.count() == 2, "the latest two snapshots are kept"
    snapshot_build()
    assert FeatureSnapshot.objects.count() == 2
    assert current_snapshot().id == FeatureSnapshot.objects.order_by("-pk")[0].pk


def test_a_purpose_or_limit_out_of_range_is_refused(community):
    viewer = make_profile("viewer")
    with pytest.raises(ValidationFailed, match="purpose must be one of"):
        suggestions_for(viewer, purpose="gossip")
    for limit in (0, 81, -1):
        with pytest.raises(ValidationFailed, match="limit must be between 1 and 80"):
            suggestions_for(viewer, limit=limit)
    assert len(suggestions_for(viewer, limit=80)) == len(community.everyone)


def test_similar_educators_to_a_profile_share_what_it_teaches(community):
    viewer = make_profile("viewer")
    target = community.math7[0]
    follow_create(actor=viewer, target=community.math7[1])
    block_create(actor=community.math7[2], target=viewer)
    found = similar_to(viewer, target, limit=5)
    names = handles(found)
    assert names
    assert all(name.startswith("m7_") for name in names), names
    assert target.handle not in names
    assert community.math7[1].handle not in names, "already followed"
    assert community.math7[2].handle not in names, "blocks the viewer"
    assert f"@{target.handle}" in found[0].reason
    assert similar_to(None, target, limit=3), "anonymous visitors see them too"


def test_list_suggestions_come_from_its_members_and_its_purpose(community):
    owner = make_profile("list_owner")
    for colleague in community.math7[:3]:
        follow_create(actor=owner, target=colleague)
    for star in community.stars:
        follow_create(actor=owner, target=star)
    maths = purpose_list_create(actor=owner, title="Maths resources", purpose="resources")
    purpose_list_add_accounts(
        actor=owner, list_id=maths.pk, profile_ids=[p.pk for p in community.math7[:3]]
    )
    found = list_suggestions(owner, maths.pk, limit=5)
    names = handles(found)
    assert names[0].startswith("m7_"), names
    assert not {p.handle for p in community.math7[:3]} & set(names), "members are not suggested"
    assert any("Maths resources" in r.text for item in found for r in item.reasons)
    stranger = make_profile("stranger")
    with pytest.raises(NotFound):
        list_suggestions(stranger, maths.pk)


def test_an_empty_lists_suggestions_come_from_its_owners_profile(community):
    owner = make_profile("science_owner", subjects=["science"], grades=["g10"])
    empty = purpose_list_create(actor=owner, title="Lab ideas", purpose="resources")
    names = handles(list_suggestions(owner, empty.pk, limit=5))
    assert names
    assert all(name.startswith("s10_") for name in names), names


def test_a_teacher_seeking_a_mentor_sees_mentors_rise_without_asking(community):
    mentors = {p.handle for p in community.math7[:2]}  # offering, 18 years
    plain = make_profile("plain", subjects=["math"], grades=["g7"])
    seeking = make_profile("seeking", subjects=["math"], grades=["g7"], mentorship="seeking")
    assert not mentors <= set(handles(suggestions_for(plain, limit=2)))
    found = suggestions_for(seeking, limit=2)
    assert set(handles(found)) == mentors
    assert all(any(r.kind == "purpose_mentorship" for r in item.reasons) for item in found)


def test_the_resources_purpose_puts_the_active_sharers_first(community):
    viewer = make_profile("viewer", subjects=["math"], grades=["g7"])
    sharers = {p.handle for p in community.math7[2:5]}
    top = handles(suggestions_for(viewer, purpose="resources", limit=3))
    assert set(top) == sharers
    assert any(
        r.kind == "purpose_resources" and "4 resources" in r.text
        for r in suggestions_for(viewer, purpose="resources", limit=1)[0].reasons
    )


def test_the_mentorship_purpose_puts_the_experienced_mentors_first(community):
    viewer = make_profile("viewer", subjects=["math"], grades=["g7"])
    top = handles(suggestions_for(viewer, purpose="mentorship", limit=2))
    assert set(top) == {"m7_0", "m7_1"}


def test_what_an_account_hiding_its_follows_follows_is_never_a_reason_or_a_signal(community):
    viewer = make_profile("viewer")
    follow_create(actor=viewer, target=community.math7[0])

    def followed_by_followees() -> list[str]:
        return [
            item.profile.handle
            for item in suggestions_for(viewer, limit=40)
            if any(reason.kind == "followed_by_followees" for reason in item.reasons)
        ]

    assert followed_by_followees()
    Profile.objects.filter(pk=community.math7[0].pk).update(hide_follows=True)
    snapshot_build()
    assert followed_by_followees() == []
