"""The audience module: one entry per audience, each with its SQL and its Python form, and
the two held to the same answers for every kind of viewer."""

from __future__ import annotations

import pytest
from django.db.models import Q

from staffroom.graph.models import Follow
from staffroom.graph.services import (
    block_create,
    connection_accept,
    connection_ask,
    follow_create,
)
from staffroom.moderation.services import account_suspend
from staffroom.posts import audience
from staffroom.posts.audience import (
    AUDIENCES,
    Audience,
    listed_q,
    open_visibilities,
    visible_among,
    visible_statuses,
)
from staffroom.posts.models import Status, Visibility
from staffroom.profiles.models import Profile
from tests.factories import make_remote_profile, make_user

pytestmark = pytest.mark.django_db


def _both_forms(viewer: Profile | None, statuses: list[Status]) -> set[int]:
    """What `viewer` may see of `statuses`, by the SQL form, asserted equal to the Python
    form (which reads the page's facts itself)."""
    ids = [status.pk for status in statuses]
    by_query = set(visible_statuses(viewer).filter(pk__in=ids).values_list("pk", flat=True))
    assert set(visible_among(viewer, ids)) == by_query, viewer
    return by_query


@pytest.fixture
def people(ada, bo, cy, stranger):
    """ada writes; bo follows her, cy is her connection, stranger neither; dee is blocked
    by ada; a remote follower too."""
    dee = make_user(handle="dee").profile
    follow_create(actor=bo, target=ada)
    follow_create(actor=dee, target=ada)
    connection_ask(actor=cy, target=ada)
    connection_accept(actor=ada, requester=cy)
    block_create(actor=ada, target=dee)
    remote = make_remote_profile(handle="kim")
    Follow.objects.create(follower=remote, followee=ada)
    return {"ada": ada, "bo": bo, "cy": cy, "stranger": stranger, "dee": dee, "kim": remote}


def test_every_visibility_has_one_audience_and_only_public_and_unlisted_are_open():
    assert set(AUDIENCES) == set(Visibility.values)
    assert all(key == entry.visibility for key, entry in AUDIENCES.items())
    assert set(open_visibilities()) == {Visibility.PUBLIC, Visibility.UNLISTED}
    for entry in AUDIENCES.values():  # both forms, or neither
        assert (entry.members_q is None) is (entry.members_among is None), entry
        assert not (entry.is_open and entry.members_q is not None), entry
        assert entry.is_open or not entry.is_listed, entry  # listed means open too


def test_only_public_posts_are_listed_in_public_places(ada, post):
    statuses = {visibility: post(ada, "hello", visibility=visibility) for visibility in Visibility}
    listed = Status.objects.filter(listed_q(), pk__in=[s.pk for s in statuses.values()])
    assert list(listed) == [statuses[Visibility.PUBLIC]]


@pytest.mark.parametrize("visibility", Visibility.values)
def test_each_audience_s_two_forms_agree_for_every_kind_of_viewer(people, post, visibility):
    ada = people["ada"]
    plain = post(ada, "hello", visibility=visibility)
    mentioning = post(ada, "hello @stranger", visibility=visibility)
    seen = {
        name: _both_forms(viewer, [plain, mentioning])
        for name, viewer in [("anyone", None), *people.items()]
    }
    both, only_mention = {plain.pk, mentioning.pk}, {mentioning.pk}
    is_open = AUDIENCES[visibility].is_open
    assert seen["ada"] == both
    assert seen["dee"] == set()  # blocked: nothing, whatever the audience
    assert seen["anyone"] == (both if is_open else set())
    assert seen["stranger"] == (both if is_open else only_mention)
    members = {
        # A connection follows too; a remote follower is a follower.
        Visibility.FOLLOWERS: {"bo", "cy", "kim"},
        Visibility.CONNECTIONS: {"cy"},
    }.get(visibility, set())
    for name in ("bo", "cy", "kim"):
        assert seen[name] == (both if is_open or name in members else set()), name


def test_a_reshare_needs_its_original_s_audience_too(people, post):
    ada, bo, stranger = people["ada"], people["bo"], people["stranger"]
    original = post(ada, "for followers", visibility=Visibility.FOLLOWERS)
    reshare = Status.objects.create(
        account=bo, uri="https://staffroom.test/reshare", thread_id=0, reblog_of=original
    )
    assert _both_forms(bo, [reshare]) == {reshare.pk}
    assert _both_forms(stranger, [reshare]) == set()


def test_an_author_out_of_good_standing_hides_every_audience(people, post):
    ada, bo = people["ada"], people["bo"]
    statuses = [post(ada, "hello", visibility=visibility) for visibility in Visibility.values]
    admin = make_user(handle="principal", is_staff=True)
    account_suspend(actor=admin, account_id=ada.pk)
    assert _both_forms(bo, statuses) == set()
    assert _both_forms(None, statuses) == set()


def _followed_by_q(viewer: Profile, prefix: str) -> Q:
    fans = Follow.objects.filter(followee=viewer).values("follower_id")
    return Q(**{f"{prefix}account__in": fans})


def _followed_by_among(viewer: Profile, statuses) -> frozenset[int]:
    fans = set(Follow.objects.filter(followee=viewer).values_list("follower_id", flat=True))
    return frozenset(status.pk for status in statuses if status.account_id in fans)


def test_a_new_audience_is_one_entry_with_both_forms(people, post, monkeypatch):
    """As a community or support circle will be: here, a made-up audience, the accounts
    the author follows, registered for this test only."""
    ada, bo, cy = people["ada"], people["bo"], people["cy"]
    monkeypatch.setitem(
        AUDIENCES,
        "circle",
        Audience("circle", members_q=_followed_by_q, members_among=_followed_by_among),
    )
    status = post(bo, "for the people I follow")
    Status.objects.filter(pk=status.pk).update(visibility="circle")
    status.refresh_from_db()
    assert _both_forms(ada, [status]) == {status.pk}  # bo follows ada
    assert _both_forms(cy, [status]) == set()
    assert _both_forms(None, [status]) == set()
    assert audience.audience_for("circle").members_q is _followed_by_q


@pytest.mark.parametrize("visibility", Visibility.values)
def test_each_audience_s_feed_reach_stays_within_who_may_see_the_post(people, post, visibility):
    """Fan-out (`feed_reach`) puts a post only in feeds of local accounts that may see it."""
    from staffroom.timelines.fanout import audience_of

    ada, bo, cy, stranger = (people[name] for name in ("ada", "bo", "cy", "stranger"))
    status = post(ada, "hello @stranger", visibility=visibility)
    home = audience_of(status).home
    may_see = {
        profile.pk
        for profile in people.values()
        if visible_statuses(profile).filter(pk=status.pk).exists()
    }
    assert home <= may_see
    expected = {
        Visibility.CONNECTIONS: {ada.pk, cy.pk},
        Visibility.DIRECT: {ada.pk, stranger.pk},
    }.get(visibility, {ada.pk, bo.pk, cy.pk})
    assert home == expected
