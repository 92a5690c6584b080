"""Suggestions on live data: the engine's candidates for one teacher, re-ranked for a purpose,
explained, and checked against the database once more before they are shown.

Per request, from indexed rows: the teacher's follows, followers, pending requests, lists,
profile terms, blocks, mutes and dismissals. From the latest snapshot (`snapshot.py`):
everyone else's follows and facts. So following, unfollowing, blocking, muting or
dismissing changes the very next answer, and nothing recomputes the whole graph.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _

from staffroom.core.exceptions import ValidationFailed
from staffroom.core.pln import Mentorship, Purpose
from staffroom.graph.models import Follow, PurposeListMember
from staffroom.graph.selectors import purpose_list_get
from staffroom.profiles.models import Profile, ProfileTerm
from staffroom.recommendations import explain, purposes
from staffroom.recommendations.engine.api import Ranked, explain_rows, rank
from staffroom.recommendations.engine.features import (
    Neighbourhood,
    centroid_similarity,
    exact_follower_counts,
    signals,
    with_exact_follower_counts,
)
from staffroom.recommendations.engine.graph import FloatArray, IntArray
from staffroom.recommendations.engine.ranker import Ranker, load_ranker
from staffroom.recommendations.explain import ReasonEntity
from staffroom.recommendations.own_rows import OwnRows, own_rows
from staffroom.recommendations.snapshot import Snapshot, current_snapshot, profile_tokens

LIMIT_DEFAULT = 20
LIMIT_MAX = 80
PURPOSE_WEIGHT = 1.0  # a purpose the teacher asked for right now
GOALS_WEIGHT = 0.3  # the purposes of the teacher's goals, shared among them
LEARNING_WEIGHT = 0.2
DISMISSED_WEIGHT = 0.6  # how much resembling a dismissed account counts against
REASON_SHARE_MIN = 0.15  # a purpose or learning reason shown only if it moved the score


@dataclass(frozen=True)
class Suggestion:
    """One account suggested to a teacher, with a sentence and structured reasons."""

    profile: Profile
    reason: str
    reasons: tuple[explain.Reason, ...]
    sources: tuple[str, ...]
    score: float

    @property
    def source(self) -> str:
        """Mastodon's single (deprecated) `source`."""
        return "past_interactions" if "most_interactions" in self.sources else "global"

    def reasons_dicts(self) -> list[ReasonEntity]:
        return [reason.as_dict() for reason in self.reasons]


@functools.cache
def _ranker() -> Ranker:
    return load_ranker()


def check_limit(limit: int | None, default: int = LIMIT_DEFAULT) -> int:
    """A `limit` within 1..LIMIT_MAX (ValidationFailed otherwise); None takes the default."""
    if limit is None:
        return default
    if not 1 <= limit <= LIMIT_MAX:
        raise ValidationFailed(
            _("Validation failed: limit must be between 1 and %(max)d") % {"max": LIMIT_MAX}
        )
    return limit


def check_purpose(purpose: str | None) -> str | None:
    """A known purpose or None (ValidationFailed names the known ones otherwise)."""
    if purpose in (None, ""):
        return None
    if purpose not in Purpose.values:
        raise ValidationFailed(
            _("Validation failed: purpose must be one of %(choices)s")
            % {"choices": ", ".join(Purpose.values)}
        )
    return purpose


def _tokens_of(profile_ids: Iterable[int]) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    rows = ProfileTerm.objects.filter(profile_id__in=list(profile_ids)).values_list(
        "profile_id", "kind", "value"
    )
    for profile_id, kind, value in rows:
        found.setdefault(profile_id, set()).update(profile_tokens(kind, value))
    return found


@dataclass
class _Query:
    """One request's live inputs, as snapshot indices."""

    snap: Snapshot
    nb: Neighbourhood
    tokens: set[str]
    exclude_ids: set[int]
    dismissed: IntArray
    weights: dict[str, float] = field(default_factory=dict)
    learning: list[str] = field(default_factory=list)
    context: str | None = None


def _goal_weights(viewer: Profile, purpose: str | None) -> dict[str, float]:
    """The purposes that re-rank: the one asked for, else the teacher's goals, shared.
    A profile that says "seeking a mentor" counts as a mentorship goal."""
    if purpose:
        return {purpose: PURPOSE_WEIGHT}
    goals = [p for p in viewer.goal_purposes if p in Purpose.values]
    if viewer.mentorship == Mentorship.SEEKING and Purpose.MENTORSHIP not in goals:
        goals.append(Purpose.MENTORSHIP)
    return {p: GOALS_WEIGHT / len(goals) for p in goals}


def _own_tokens(rows: OwnRows) -> set[str]:
    """The teacher's profile terms as snapshot tokens, from the rows read per request."""
    return {token for kind, value in rows.terms for token in profile_tokens(kind, value)}


def _teacher_query(viewer: Profile, snap: Snapshot, purpose: str | None) -> _Query:
    rows = own_rows(viewer)
    tokens = _own_tokens(rows)
    nb = Neighbourhood(
        user=snap.index_of(viewer.pk),
        followees=snap.indices_of(rows.followees),
        followers=snap.indices_of(rows.followers),
        profile_tokens=snap.token_indices(sorted(tokens)),
        lists_owned=np.flatnonzero(np.isin(snap.list_ids, rows.lists_owned)),
        lists_member=np.flatnonzero(np.isin(snap.list_ids, rows.lists_member)),
    )
    return _Query(
        snap=snap,
        nb=nb,
        tokens=tokens,
        exclude_ids=rows.excluded(viewer),
        dismissed=snap.indices_of(rows.dismissed),
        weights=_goal_weights(viewer, purpose),
        learning=list(viewer.learning_styles or []),
    )


def _exclusion_indices(query: _Query) -> IntArray:
    snap = query.snap
    return np.concatenate([snap.unsuggestable, snap.indices_of(query.exclude_ids)])


def _rerank(query: _Query, ranked: Ranked) -> tuple[FloatArray, dict[str, FloatArray]]:
    """Final scores of the pool: the engine's (scaled to [0, 1]) plus the purposes and ways
    of learning, less resemblance to dismissed accounts. Also each added term, for reasons."""
    scores = ranked.scores
    finite = np.isfinite(scores)
    base = np.zeros(len(scores))
    if finite.any():
        low, high = float(scores[finite].min()), float(scores[finite].max())
        spread = high - low
        # One candidate, or all tied: each is as good as the engine can say.
        base[finite] = (scores[finite] - low) / spread if spread > 0 else 1.0
    added: dict[str, FloatArray] = {}
    pool = ranked.pool
    if query.weights:
        found = purposes.facts(query.snap, pool, query.tokens)
        shared = purposes.overlap(query.snap, query.tokens, pool)
        for purpose, weight in query.weights.items():
            added[f"purpose_{purpose}"] = weight * purposes.purpose_scores(purpose, found, shared)
    if query.learning:
        added["learning"] = LEARNING_WEIGHT * purposes.learning_scores(
            query.snap, pool, query.learning
        )
    total = base.copy()
    for values in added.values():
        total += values
    if len(query.dismissed):
        total -= DISMISSED_WEIGHT * centroid_similarity(query.snap.arrays, query.dismissed, pool)
    added["engine"] = base
    return total, added


def _top(pool: IntArray, total: FloatArray, indeg: FloatArray, count: int) -> IntArray:
    """Positions in the pool of the `count` best, ties to the more followed, then lower id."""
    order = np.lexsort((pool, -indeg[pool], -total))
    return order[:count].astype(np.int64)


def _reasons_for(
    query: _Query,
    ranked: Ranked,
    positions: IntArray,
    added: dict[str, FloatArray],
    candidate_tokens: dict[int, set[str]],
) -> list[tuple[explain.Reason, ...]]:
    engine_reasons = explain_rows(ranked.features, positions)
    snap = query.snap
    rows = with_exact_follower_counts(
        snap.arrays, query.nb, ranked.pool[positions], ranked.features[positions]
    )
    found = purposes.facts(snap, ranked.pool[positions], query.tokens)
    out: list[tuple[explain.Reason, ...]] = []
    for i, position in enumerate(positions.tolist()):
        profile_id = int(snap.profile_ids[ranked.pool[position]])
        shared = explain.shared_terms(query.tokens, candidate_tokens.get(profile_id, set()))
        extra = {name: float(values[position]) for name, values in added.items()}
        total = sum(extra.values()) or 1.0
        reasons: list[explain.Reason] = []
        for name, value in sorted(extra.items(), key=lambda item: -item[1]):
            share = value / total
            if name == "engine" or share < REASON_SHARE_MIN:
                continue
            if name == "learning":
                text = explain.learning_text(query.learning)
            else:
                facts = {key: float(column[i]) for key, column in found.items()}
                purpose = name.removeprefix("purpose_")
                posted = (
                    purposes.posted_practices(snap, query.tokens, int(ranked.pool[position]))
                    if purpose == "practices"
                    else []
                )
                text = explain.purpose_text(purpose, facts, shared, posted)
            reasons.append(explain.Reason(name, text, round(share, 3)))
        engine_share = extra.get("engine", 0.0) / total
        row = rows[i]
        for reason in engine_reasons[i]:
            text = explain.engine_text(reason.kind, row, shared, query.context)
            weight = round(reason.weight * engine_share, 3)
            reasons.append(explain.Reason(reason.kind, text, weight))
        if not any(r.kind == "similar_profile" for r in reasons) and shared:
            reasons.append(explain.Reason("similar_profile", explain.profile_text(shared), 0.0))
        reasons.sort(key=lambda r: -r.weight)
        out.append(tuple(reasons[:4]))
    return out


def live_profiles(ids: Sequence[int], count: int) -> list[Profile]:
    """The first `count` of `ids` (in order) that may still be suggested now, loaded with
    what their Mastodon Account needs (stats, user): the snapshot may be minutes old, and an
    account may have gone away, hidden itself, been limited or suspended since. Usually one
    query for a few more than `count`; more only when many dropped out."""
    found: list[Profile] = []
    start, batch = 0, count + 5
    while len(found) < count and start < len(ids):
        chunk = list(ids[start : start + batch])
        alive = {
            profile.pk: profile
            for profile in Profile.objects.filter(pk__in=chunk, is_away=False)
            .discoverable()
            .in_good_standing()
            .select_related("stats", "user")
        }
        found += [alive[pk] for pk in chunk if pk in alive]
        start, batch = start + batch, count * 2
    return found[:count]


def _suggest(query: _Query, limit: int) -> list[Suggestion]:
    snap = query.snap
    if snap.n == 0:
        return []
    extra = purposes.purpose_candidates(snap, query.tokens, query.weights)
    ranked = rank(snap.arrays, query.nb, _exclusion_indices(query), _ranker(), extra)
    if len(ranked.pool) == 0:
        return []
    total, added = _rerank(query, ranked)
    positions = _top(ranked.pool, total, snap.arrays.indeg, limit * 2 + 10)
    ids = [int(snap.profile_ids[ranked.pool[p]]) for p in positions.tolist()]
    shown = live_profiles(ids, limit)
    kept_ids = [profile.pk for profile in shown]
    live = {profile.pk: profile for profile in shown}
    position_of = dict(zip(ids, positions.tolist(), strict=True))
    kept = np.array([position_of[pk] for pk in kept_ids], dtype=np.int64)
    reasons = _reasons_for(query, ranked, kept, added, snap.tokens_by_id(kept_ids))
    return [
        Suggestion(
            profile=live[pk],
            reason=explain.sentence(list(why)),
            reasons=why,
            sources=tuple(explain.mastodon_sources(list(why))),
            score=round(float(total[position]), 4),
        )
        for pk, position, why in zip(kept_ids, kept.tolist(), reasons, strict=True)
    ]


def suggestions_for(
    viewer: Profile, *, purpose: str | None = None, limit: int | None = None
) -> list[Suggestion]:
    """Up to `limit` accounts for `viewer` to follow, best first, each explained.

    `purpose` (one of DESIGN.md's five) re-ranks for that purpose; without it the teacher's
    goals count a little. Raises ValidationFailed for an unknown purpose or a limit out of
    1..LIMIT_MAX.
    """
    purpose = check_purpose(purpose)
    limit = check_limit(limit)
    return _suggest(_teacher_query(viewer, current_snapshot(), purpose), limit)


def list_suggestions(
    viewer: Profile, list_id: int | str, *, limit: int | None = None
) -> list[Suggestion]:
    """Accounts to add to one of `viewer`'s purpose lists, from its current members (as if
    the list were a teacher following them), its theme (the terms a third of the members
    list or the practices they post about) and the list's purpose. NotFound for a list that
    is not the viewer's."""
    limit = check_limit(limit)
    found = purpose_list_get(viewer=viewer, list_id=list_id)
    snap = current_snapshot()
    members = list(
        PurposeListMember.objects.filter(list=found).values_list("profile_id", flat=True)
    )
    member_tokens = _tokens_of(members)
    for member in members:  # what members post about says what the list is for, too
        index = snap.index_of(member)
        if index >= 0:
            posted = purposes.practice_tokens_posted(snap, index)
            member_tokens[member] = member_tokens.get(member, set()) | posted
    counts: dict[str, int] = {}
    for tokens in member_tokens.values():
        for token in tokens:
            counts[token] = counts.get(token, 0) + 1
    rows = own_rows(viewer)
    # The list's theme: terms at least a third of its members share; the owner's without members.
    theme = {t for t, c in counts.items() if c * 3 >= max(len(members), 1)} or _own_tokens(rows)
    row = np.flatnonzero(snap.list_ids == found.pk).astype(np.int64)
    nb = Neighbourhood(
        user=-1,
        followees=snap.indices_of(members),
        followers=np.zeros(0, dtype=np.int64),
        profile_tokens=snap.token_indices(sorted(theme)),
        lists_owned=row,
        lists_member=np.zeros(0, dtype=np.int64),
    )
    query = _Query(
        snap=snap,
        nb=nb,
        tokens=theme,
        exclude_ids=rows.excluded(viewer) | set(members),
        dismissed=snap.indices_of(rows.dismissed),
        weights={found.purpose: PURPOSE_WEIGHT} if found.purpose in Purpose.values else {},
        learning=list(viewer.learning_styles or []),
        context=found.title,
    )
    return _suggest(query, limit)


def similar_to(
    viewer: Profile | None, target: Profile, *, limit: int | None = None
) -> list[Suggestion]:
    """Educators like `target`: a similar profile, followed by the same people, following
    the same accounts. Never `target` or the viewer, nor anyone the viewer follows, blocks,
    mutes, dismissed or is blocked by."""
    limit = check_limit(limit)
    snap = current_snapshot()
    if snap.n == 0:
        return []
    index = snap.index_of(target.pk)
    tokens = _tokens_of([target.pk]).get(target.pk, set())
    followers = snap.indices_of(
        Follow.objects.filter(followee=target).values_list("follower_id", flat=True)
    )
    followees = snap.indices_of(
        Follow.objects.filter(follower=target).values_list("followee_id", flat=True)
    )
    nb = Neighbourhood(
        user=index,
        followees=followees,
        followers=followers,
        profile_tokens=snap.token_indices(sorted(tokens)),
        lists_owned=np.zeros(0, dtype=np.int64),
        lists_member=np.zeros(0, dtype=np.int64),
    )
    found_signals = signals(snap.arrays, nb)
    sig = found_signals.values
    profile = sig["prof_self"]
    co_followed = sig["in_out"] / max(len(followers), 1)
    same_follows = sig["co_follow_cos"] / max(float(sig["co_follow_cos"].max(initial=0.0)), 1e-12)
    score = 0.5 * profile + 0.3 * co_followed + 0.2 * same_follows
    blocked = ~snap.suggestable.copy()
    if index >= 0:
        blocked[index] = True
    excluded: set[int] = {target.pk}
    if viewer is not None:
        rows = own_rows(viewer)
        excluded |= rows.excluded(viewer) | set(rows.followees.tolist())
    blocked[snap.indices_of(excluded)] = True
    score[blocked] = 0.0
    candidates = np.flatnonzero(score > 0)
    order = candidates[np.lexsort((candidates, -snap.arrays.indeg[candidates], -score[candidates]))]
    ids = [int(snap.profile_ids[i]) for i in order[: limit * 2 + 10].tolist()]
    shown = live_profiles(ids, limit)
    kept_ids = [profile.pk for profile in shown]
    live = {profile.pk: profile for profile in shown}
    chosen = snap.indices_of(kept_ids)  # in kept_ids' order
    followed_by = sig["in_out"][chosen]
    if found_signals.followers_sampled:  # the words give exact counts, not the estimate
        followed_by = exact_follower_counts(snap.arrays, sig["follows_you"], chosen)
        co_followed[chosen] = followed_by / len(followers)
    chosen_tokens = snap.tokens_by_id(kept_ids)
    whom = f"@{target.handle}"
    out: list[Suggestion] = []
    for i, followers_of_both in zip(chosen.tolist(), followed_by.tolist(), strict=True):
        pk = int(snap.profile_ids[i])
        shared = explain.shared_terms(tokens, chosen_tokens.get(pk, set()))
        parts = [
            ("similar_profile", 0.5 * float(profile[i]), explain.profile_text(shared, whom)),
            (
                "followed_by_followers",
                0.3 * float(co_followed[i]),
                _("Followed by %(count)d people who follow %(whom)s")
                % {"count": int(followers_of_both), "whom": whom},
            ),
            (
                "similar_interests",
                0.2 * float(same_follows[i]),
                _("Follows many of the accounts %(whom)s follows") % {"whom": whom},
            ),
        ]
        total = sum(weight for _kind, weight, _text in parts) or 1.0
        why = tuple(
            explain.Reason(kind, text, round(weight / total, 3))
            for kind, weight, text in sorted(parts, key=lambda p: -p[1])
            if weight > 0
        )
        out.append(
            Suggestion(
                profile=live[pk],
                reason=explain.sentence(list(why)),
                reasons=why,
                sources=(explain.SIMILAR_SOURCE,),
                score=round(float(score[i]), 4),
            )
        )
    return out


def suggested_authors(viewer: Profile, count: int) -> list[Suggestion]:
    """The feed seam: the educators whose posts "from educators like you" may show."""
    return _suggest(_teacher_query(viewer, current_snapshot(), None), count)
