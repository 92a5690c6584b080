"""The demo graph: its invariants, homophily, a heavy tail of followers and determinism."""

from __future__ import annotations

import itertools
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterator

import pytest
from django.core.management import call_command

from staffroom.accounts.models import User
from staffroom.graph.models import (
    Block,
    Connection,
    ConnectionState,
    Follow,
    FollowRequest,
    Mute,
    PurposeList,
    PurposeListMember,
)
from staffroom.profiles import taxonomy
from staffroom.profiles.models import Profile, ProfileTerm, TermKind
from tests.conftest import Shared, built_once

PARENT = {term.slug: term.parent or term.slug for term in taxonomy.SUBJECTS}
USERS = 60


def _pairs(model, a: str, b: str) -> set[tuple[int, int]]:
    return set(model.objects.values_list(a, b))


def _edges() -> list[tuple[str, ...]]:
    """Every relationship by handles, so that two builds compare whatever their ids."""
    follows = Follow.objects.values_list("follower__handle", "followee__handle", "is_quiet")
    requests = FollowRequest.objects.values_list("follower__handle", "followee__handle")
    connections = Connection.objects.values_list("requester__handle", "addressee__handle", "state")
    lists = PurposeListMember.objects.values_list(
        "list__owner__handle", "list__title", "profile__handle"
    )
    blocks = Block.objects.values_list("blocker__handle", "blocked__handle")
    mutes = Mute.objects.values_list("muter__handle", "muted__handle")
    rows = [follows, requests, connections, lists, blocks, mutes]
    return sorted((str(n), *map(str, row)) for n, query in enumerate(rows) for row in query)


def _traits() -> dict[int, tuple[frozenset[str], frozenset[str]]]:
    """Each profile's subject families and grade bands."""
    found: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for profile_id, kind, value in ProfileTerm.objects.filter(
        kind__in=[TermKind.SUBJECT, TermKind.GRADE]
    ).values_list("profile_id", "kind", "value"):
        found[profile_id][kind].add(value)
    return {
        pk: (
            frozenset(PARENT.get(s, s) for s in terms[TermKind.SUBJECT]),
            frozenset(taxonomy.bands_of(terms[TermKind.GRADE])),
        )
        for pk, terms in found.items()
    }


@pytest.mark.django_db
def test_demo_graph_is_the_same_for_the_same_seed():
    call_command("demo", "--users", "30", "--seed", "9")
    first = _edges()
    User.objects.all().delete()
    call_command("demo", "--users", "30", "--seed", "9")
    assert first
    assert _edges() == first


# The tests below only read one community, built once for them all; it stays until the
# module's last test, so a test that builds its own must come before them.


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker) -> Iterator[Shared[None]]:
    def build() -> None:
        call_command("demo", "--users", str(USERS), "--seed", "5")

    yield from built_once(django_db_blocker, build)


@pytest.fixture
def community(built: Shared[None], db) -> Profile:
    built.for_test()
    return Profile.objects.get(handle="demo")


def test_demo_graph_keeps_the_graphs_invariants(community):
    follows = _pairs(Follow, "follower_id", "followee_id")
    requests = _pairs(FollowRequest, "follower_id", "followee_id")
    blocks = _pairs(Block, "blocker_id", "blocked_id")
    blocked = blocks | {(b, a) for a, b in blocks}
    assert follows
    assert all(a != b for a, b in follows | requests | blocked)
    assert not (follows | requests) & blocked
    assert not follows & requests
    locked = set(Profile.objects.filter(is_locked=True).values_list("pk", flat=True))
    assert requests
    assert all(followee in locked for _follower, followee in requests)
    connections = Connection.objects.values_list("requester_id", "addressee_id", "state")
    assert {state for _a, _b, state in connections} == {"asked", "accepted"}
    for a, b, state in connections:
        assert (a, b) not in blocked
        if state == ConnectionState.ACCEPTED:
            assert (a, b) in follows
            assert (b, a) in follows
    members = PurposeListMember.objects.values_list("list__owner_id", "profile_id")
    assert members
    assert set(members) <= follows
    pending_lists = {
        pk for (ids,) in FollowRequest.objects.values_list("purpose_list_ids") for pk in ids
    }
    owners = dict(PurposeList.objects.values_list("pk", "owner_id"))
    for follower, list_ids in FollowRequest.objects.values_list("follower_id", "purpose_list_ids"):
        assert all(owners[pk] == follower for pk in list_ids)
    assert pending_lists <= set(owners)
    profiles_in_graph = {pk for pair in follows for pk in pair}
    standing = set(Profile.objects.in_good_standing().values_list("pk", flat=True))
    assert profiles_in_graph <= standing


def test_demo_graph_follows_mostly_carry_purposes_and_some_are_mutual(community):
    follows = _pairs(Follow, "follower_id", "followee_id")
    listed = set(PurposeListMember.objects.values_list("list__owner_id", "profile_id"))
    assert len(listed) / len(follows) > 0.6
    mutual = sum((b, a) in follows for a, b in follows)
    assert 0.1 < mutual / len(follows) < 0.8


def test_demo_graph_prefers_colleagues_who_share_a_subject_or_a_band(community):
    traits = _traits()
    follows = _pairs(Follow, "follower_id", "followee_id")

    def shares(a: int, b: int) -> bool:
        return bool(traits[a][0] & traits[b][0] or traits[a][1] & traits[b][1])

    people = sorted({pk for pair in follows for pk in pair})
    random_rate = statistics.mean(shares(a, b) for a, b in itertools.permutations(people, 2))
    follow_rate = statistics.mean(shares(a, b) for a, b in follows)
    assert follow_rate > 0.5
    assert follow_rate > random_rate + 0.15


def test_demo_graph_has_a_heavy_tail_of_followers(community):
    people = Profile.objects.in_good_standing().exclude(handle="demo_admin")
    indegree = Counter(Follow.objects.values_list("followee_id", flat=True))
    counts = sorted(indegree.get(pk, 0) for pk in people.values_list("pk", flat=True))
    assert counts[-1] >= 3 * statistics.median(counts)


def test_demo_account_follows_colleagues_with_purposes_and_has_ties_to_show(community):
    demo = community
    follows = Follow.objects.filter(follower=demo)
    assert 15 <= follows.count() <= 20
    listed = PurposeListMember.objects.filter(list__owner=demo).values("profile_id").distinct()
    assert listed.count() >= follows.count() // 2
    assert PurposeList.objects.filter(owner=demo).exists()
    accepted = Connection.objects.filter(state=ConnectionState.ACCEPTED)
    assert accepted.filter(requester=demo).count() + accepted.filter(addressee=demo).count() >= 2
    assert Connection.objects.filter(addressee=demo, state=ConnectionState.ASKED).count() == 1
    assert not Block.objects.filter(blocker=demo).exists()
