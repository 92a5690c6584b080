"""The graph part of the demo community: who follows, connects with, lists, blocks and mutes
whom among the demo educators.

The graph is drawn in memory from the seeded generator, then written with a few bulk
INSERTs (so `staffroom demo --users 1000` stays quick). How it is drawn:

- Homophily: each follow is picked from the educators who share one of the follower's
  subject families (50%), one of their grade bands (25%), or from everyone (25%).
- A heavy tail: inside each pool, educators are picked in proportion to a Pareto-distributed
  "prominence" (coaches, leaders and mentors get a boost), so a few are followed widely.
- Reciprocity: educators who want reciprocal ties often follow back; some mutual pairs
  are connected, a few more have asked. A follow of a locked account is sometimes still a
  pending request.
- Purposes: each educator gets the default purpose lists (`default_purpose_lists_for`) and
  most follows land in the lists whose purpose fits the followee.

The graph's invariants hold: no self-ties, nothing across a block, an accepted connection
has follows both ways, requests only toward locked accounts, list members are followed.
"""

from __future__ import annotations

import itertools
import math
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from staffroom.core.demo import DemoContext, demo_part
from staffroom.core.pln import InteractionStyle, Mentorship, Purpose
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
from staffroom.graph.services import default_purpose_lists_for
from staffroom.profiles import taxonomy
from staffroom.profiles.models import Profile, ProfileTerm, TermKind

BATCH = 500
DEMO_FOLLOWS = 20
# Where a follow is drawn from: a shared subject family, a shared grade band, or anyone.
POOL_WEIGHTS = (50, 25, 25)
PARENT = {term.slug: term.parent or term.slug for term in taxonomy.SUBJECTS}
# A resources list's title ("Math resources", "U.S. history resources") back to its subject.
RESOURCE_TITLES = {
    f"{name} resources".casefold(): term.slug
    for term in taxonomy.SUBJECTS
    for name in (str(term.label), term.slug.replace("-", " "))
}
LEADING_ROLES = {"coach": 2.0, "school_leader": 1.6, "librarian": 1.5}

Pair = tuple[int, int]


@dataclass
class Educator:
    profile: Profile
    subjects: frozenset[str]
    families: frozenset[str]
    bands: frozenset[str]
    prominence: float


@dataclass
class Pool:
    members: list[int]
    cumulative: list[float]

    def pick(self, rng: random.Random) -> int:
        return rng.choices(self.members, cum_weights=self.cumulative)[0]


@dataclass
class Graph:
    follows: dict[Pair, None] = field(default_factory=dict)  # insertion-ordered set
    requests: dict[Pair, None] = field(default_factory=dict)
    blocked: set[Pair] = field(default_factory=set)  # both directions of every block
    blocks: list[Pair] = field(default_factory=list)
    connections: dict[Pair, str] = field(default_factory=dict)  # (requester, addressee)

    def has(self, pair: Pair) -> bool:
        """A follow or a pending request in this direction."""
        return pair in self.follows or pair in self.requests

    def connected(self, a: int, b: int) -> bool:
        return (a, b) in self.connections or (b, a) in self.connections


def _educators(profiles: Sequence[Profile], rng: random.Random) -> list[Educator]:
    terms: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    rows = ProfileTerm.objects.filter(
        profile__in=profiles, kind__in=[TermKind.SUBJECT, TermKind.GRADE]
    ).values_list("profile_id", "kind", "value")
    for profile_id, kind, value in rows:
        terms[profile_id][kind].add(value)
    educators = []
    for profile in profiles:
        subjects = terms[profile.pk][TermKind.SUBJECT]
        boost = LEADING_ROLES.get(profile.role, 1.0)
        if profile.mentorship == Mentorship.OFFERING:
            boost *= 1.5
        educators.append(
            Educator(
                profile=profile,
                subjects=frozenset(subjects),
                families=frozenset(PARENT.get(slug, slug) for slug in subjects),
                bands=frozenset(taxonomy.bands_of(terms[profile.pk][TermKind.GRADE])),
                prominence=min(rng.paretovariate(1.2), 200.0) * boost,
            )
        )
    return educators


def _pools(educators: Sequence[Educator]) -> dict[str, Pool]:
    """One pool per subject family (`f:math`), per band (`b:6-8`) and one of everyone."""
    groups: dict[str, list[int]] = defaultdict(list)
    for index, educator in enumerate(educators):
        groups[""].append(index)
        for family in sorted(educator.families):
            groups[f"f:{family}"].append(index)
        for band in sorted(educator.bands):
            groups[f"b:{band}"].append(index)
    return {
        key: Pool(members, list(itertools.accumulate(educators[i].prominence for i in members)))
        for key, members in groups.items()
    }


def _source(rng: random.Random, educator: Educator, pools: dict[str, Pool]) -> Pool:
    kind = rng.choices(("family", "band", "anyone"), weights=POOL_WEIGHTS)[0]
    if kind == "family" and educator.families:
        return pools[f"f:{rng.choice(sorted(educator.families))}"]
    if kind == "band" and educator.bands:
        return pools[f"b:{rng.choice(sorted(educator.bands))}"]
    return pools[""]


def _out_degree(rng: random.Random, count: int) -> int:
    """How many to follow: log-normal around 10 (fewer in a small community), at most 80."""
    wanted = round(rng.lognormvariate(math.log(min(10, max(3, count / 8))), 0.7))
    return max(1, min(wanted, 80, count - 1))


def _draw_follows(
    rng: random.Random, educators: Sequence[Educator], graph: Graph, demo: int | None
) -> None:
    """Each educator's follows (and, toward locked accounts, some pending requests)."""
    pools = _pools(educators)
    for index, educator in enumerate(educators):
        wanted = min(DEMO_FOLLOWS, len(educators) - 1) if index == demo else None
        wanted = wanted or _out_degree(rng, len(educators))
        made = 0
        for _attempt in range(wanted * 6):
            if made >= wanted:
                break
            target = _source(rng, educator, pools).pick(rng)
            pair = (index, target)
            if target == index or pair in graph.blocked or graph.has(pair):
                continue
            locked = educators[target].profile.is_locked
            pending = locked and index != demo and rng.random() < 0.35
            (graph.requests if pending else graph.follows)[pair] = None
            made += 1


def _shares(a: Educator, b: Educator) -> bool:
    return bool(a.families & b.families or a.bands & b.bands)


def _reciprocate(
    rng: random.Random, educators: Sequence[Educator], graph: Graph, demo: int | None
) -> None:
    """Follow-backs: likelier between educators who want reciprocal ties and share work.
    `demo` follows back no one: whoever signs in as it decides."""
    for follower, followee in list(graph.follows):
        back = (followee, follower)
        if followee == demo or graph.has(back):
            continue
        them = educators[followee]
        reciprocal = them.profile.interaction_style == InteractionStyle.RECIPROCAL
        chance = (0.3 if _shares(them, educators[follower]) else 0.08) * (1 if reciprocal else 0.4)
        if rng.random() < chance:
            graph.follows[back] = None


def _draw_blocks(rng: random.Random, count: int, graph: Graph, demo: int | None) -> None:
    """A few blocks, drawn before the follows so that nothing crosses one. `demo` stays
    clear of them, so the tour through the demo account is not missing anyone."""
    others = [index for index in range(count) if index != demo]
    for _block in range(count // 40 if len(others) > 1 else 0):
        blocker, blocked = rng.sample(others, 2)
        if (blocker, blocked) not in graph.blocked:
            graph.blocked |= {(blocker, blocked), (blocked, blocker)}
            graph.blocks.append((blocker, blocked))


def _draw_connections(rng: random.Random, educators: Sequence[Educator], graph: Graph) -> None:
    """Accepted connections among mutual follows; a few open asks between colleagues."""
    for a, b in list(graph.follows):
        reciprocal = all(
            educators[i].profile.interaction_style == InteractionStyle.RECIPROCAL for i in (a, b)
        )
        if a < b and (b, a) in graph.follows and reciprocal and rng.random() < 0.3:
            graph.connections[(a, b) if rng.random() < 0.5 else (b, a)] = ConnectionState.ACCEPTED
    if len(educators) < 3:
        return
    for _ask in range(len(educators) // 15):
        a, b = rng.sample(range(len(educators)), 2)
        free = (a, b) not in graph.blocked and not graph.connected(a, b)
        if free and _shares(educators[a], educators[b]):
            graph.connections[(a, b)] = ConnectionState.ASKED


def _demo_ties(rng: random.Random, educators: Sequence[Educator], graph: Graph, demo: int) -> None:
    """`demo` has two connections and one colleague asking to connect, to approve."""
    followed = [b for a, b in graph.follows if a == demo and not graph.connected(a, b)]
    for other in rng.sample(followed, k=min(2, len(followed))):
        graph.requests.pop((other, demo), None)
        graph.follows[(other, demo)] = None
        graph.connections[(other, demo)] = ConnectionState.ACCEPTED
    strangers = [
        index
        for index in range(len(educators))
        if index != demo and not graph.connected(index, demo) and (index, demo) not in graph.blocked
    ]
    if strangers:
        graph.connections[(rng.choice(strangers), demo)] = ConnectionState.ASKED


@dataclass
class DemoList:
    row: PurposeList
    subject: str  # for a resources list: the subject it collects ("" for "Teaching resources")


def _lists_for(rng: random.Random, educator: Educator) -> list[DemoList]:
    """The default purpose lists (not saved); one in twelve kept out of the home feed."""
    made = []
    for suggestion in default_purpose_lists_for(educator.profile):
        row = PurposeList(
            owner=educator.profile,
            title=suggestion.title,
            purpose=suggestion.purpose,
            exclusive=rng.random() < 1 / 12,
        )
        made.append(DemoList(row, RESOURCE_TITLES.get(suggestion.title.casefold(), "")))
    return made


def _fits(item: DemoList, me: Educator, them: Educator, notable: float) -> bool:
    """Whether `them` belongs in `me`'s list `item`, by the list's purpose."""
    profile = them.profile
    years = profile.experience_years or 0
    match item.row.purpose:
        case Purpose.RESOURCES:
            if item.subject:
                return PARENT.get(item.subject, item.subject) in them.families
            return bool(me.families & them.families)
        case Purpose.PRACTICES:
            return bool(me.bands & them.bands) or profile.role in LEADING_ROLES or years >= 10
        case Purpose.INSPIRATION:
            return them.prominence >= notable
        case Purpose.SUPPORT:
            return (
                bool(me.bands & them.bands) and abs(years - (me.profile.experience_years or 0)) < 8
            )
        case Purpose.MENTORSHIP:
            return profile.mentorship == Mentorship.OFFERING or years >= 15
    return False


def _purposes(
    rng: random.Random, lists: Sequence[DemoList], me: Educator, them: Educator, notable: float
) -> list[DemoList]:
    """One or two fitting lists for most follows; otherwise sometimes any one list."""
    if not lists:
        return []
    fitting = [item for item in lists if _fits(item, me, them, notable)]
    if fitting:
        return rng.sample(fitting, k=min(len(fitting), 1 if rng.random() < 0.7 else 2))
    return [rng.choice(lists)] if rng.random() < 0.3 else []


def _options(rng: random.Random, follower: Educator) -> dict[str, bool]:
    quiet = follower.profile.interaction_style == InteractionStyle.QUIET
    return {
        "is_quiet": quiet and rng.random() < 0.6,
        "notify": rng.random() < 0.08,
        "show_reblogs": rng.random() < 0.9,
    }


@dataclass
class Rows:
    follows: list[Follow] = field(default_factory=list)
    requests: list[FollowRequest] = field(default_factory=list)
    lists: list[PurposeList] = field(default_factory=list)
    members: list[PurposeListMember] = field(default_factory=list)


def _follow_rows(rng: random.Random, educators: Sequence[Educator], graph: Graph) -> Rows:
    """Follow and request rows with their options, the lists, and the follows' purposes."""
    rows = Rows()
    ranked = sorted(educator.prominence for educator in educators)
    notable = ranked[int(len(ranked) * 0.8)] if ranked else 0.0
    followers = sorted({a for a, _b in (*graph.follows, *graph.requests)})
    lists = {index: _lists_for(rng, educators[index]) for index in followers}
    rows.lists = [item.row for made in lists.values() for item in made]
    for (a, b), pending in [
        *((p, False) for p in graph.follows),
        *((p, True) for p in graph.requests),
    ]:
        me, them = educators[a], educators[b]
        chosen = _purposes(rng, lists[a], me, them, notable)
        options = _options(rng, me)
        if pending:
            ids = [item.row.pk for item in chosen]
            rows.requests.append(
                FollowRequest(
                    follower=me.profile, followee=them.profile, purpose_list_ids=ids, **options
                )
            )
            continue
        rows.follows.append(Follow(follower=me.profile, followee=them.profile, **options))
        rows.members += [PurposeListMember(list=item.row, profile=them.profile) for item in chosen]
    return rows


def _other_rows(
    rng: random.Random, educators: Sequence[Educator], graph: Graph
) -> tuple[list[Connection], list[Block], list[Mute]]:
    now = timezone.now()
    connections = [
        Connection(
            requester=educators[a].profile,
            addressee=educators[b].profile,
            state=state,
            accepted_at=now if state == ConnectionState.ACCEPTED else None,
        )
        for (a, b), state in graph.connections.items()
    ]
    blocks = [
        Block(blocker=educators[a].profile, blocked=educators[b].profile) for a, b in graph.blocks
    ]
    mutes: dict[Pair, Mute] = {}
    for _mute in range(len(educators) // 30 if len(educators) > 1 else 0):
        a, b = rng.sample(range(len(educators)), 2)
        days = rng.choice((None, None, 1, 7, 30))
        mutes[(a, b)] = Mute(
            muter=educators[a].profile,
            muted=educators[b].profile,
            hide_notifications=rng.random() < 0.7,
            expires_at=now + timedelta(days=days) if days else None,
        )
    return connections, blocks, list(mutes.values())


ENDORSED_SHARE = 0.06
ENDORSED_PER_FOLLOWER = 4


def _endorse_some(follows: list[Follow]) -> None:
    """A few follows become endorsements ("Recommended colleagues"), at most
    ENDORSED_PER_FOLLOWER each. Drawn from a generator of their own, so the rest of the
    demo stays what the seed made it before endorsements existed."""
    rng = random.Random(f"endorsements-{len(follows)}")  # noqa: S311 - demo data
    now = timezone.now()
    per_follower: dict[int, int] = {}
    for follow in follows:
        count = per_follower.get(follow.follower.pk, 0)
        if count < ENDORSED_PER_FOLLOWER and rng.random() < ENDORSED_SHARE:
            follow.endorsed_at = now
            per_follower[follow.follower.pk] = count + 1


def _insert(
    rows: Rows, connections: list[Connection], blocks: list[Block], mutes: list[Mute]
) -> None:
    """Bulk INSERTs, lists before the members and requests that name them."""
    PurposeList.objects.bulk_create(rows.lists, batch_size=BATCH)
    Follow.objects.bulk_create(rows.follows, batch_size=BATCH)
    FollowRequest.objects.bulk_create(rows.requests, batch_size=BATCH)
    PurposeListMember.objects.bulk_create(rows.members, batch_size=BATCH)
    Connection.objects.bulk_create(connections, batch_size=BATCH)
    Block.objects.bulk_create(blocks, batch_size=BATCH)
    Mute.objects.bulk_create(mutes, batch_size=BATCH)


@demo_part(order=30, name="graph")
def demo_graph(context: DemoContext) -> None:
    """Follows (a few of them endorsements), requests, connections, purpose lists, blocks
    and mutes among the demo educators (`demo` included: ~20 follows with purposes, two
    connections, one ask to approve). Drawn in memory from `context.rng`, then
    bulk-inserted."""
    rng = context.rng
    profiles: list[Profile] = context.get("profiles")
    educators = _educators(profiles, rng)
    demo_users = {user.pk for user in context.get("demo_user")}
    demo = next((i for i, p in enumerate(profiles) if p.user_id in demo_users), None)
    graph = Graph()
    _draw_blocks(rng, len(educators), graph, demo)
    _draw_follows(rng, educators, graph, demo)
    _reciprocate(rng, educators, graph, demo)
    _draw_connections(rng, educators, graph)
    if demo is not None:
        _demo_ties(rng, educators, graph, demo)
    rows = _follow_rows(rng, educators, graph)
    connections, blocks, mutes = _other_rows(rng, educators, graph)
    _endorse_some(rows.follows)
    _insert(rows, connections, blocks, mutes)
    context.bulk_loaded(Follow, FollowRequest, PurposeList, PurposeListMember, Block, Mute)
    context.log(
        f"demo: {len(rows.follows)} follows, {len(rows.requests)} requests, "
        f"{len(connections)} connections, {len(rows.lists)} purpose lists, "
        f"{len(blocks)} blocks, {len(mutes)} mutes"
    )
