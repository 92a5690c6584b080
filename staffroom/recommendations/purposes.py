"""How each purpose re-ranks the engine's candidates (DESIGN.md's five purposes).

Each function scores the candidate pool in [0, 1] from the snapshot's per-account facts and
the terms the candidate shares with the teacher:

- resources: active sharers of resources and links, in the teacher's subjects and grades;
- inspiration: widely followed educators (in the teacher's subjects a little more);
- support: peers in the same grade band and subject who prefer reciprocal relationships;
- mentorship: experienced educators whose profile says they offer mentorship;
- practices: people who post about the teacher's practices (recent public posts that name
  them, `practice_posts.py`), then those who list the same practices, the active first.

Preferred ways of learning add a smaller term for everyone: the share of a candidate's
recent posts in the modalities the teacher learns best from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from staffroom.core.pln import Modality, modalities_for_learning_styles
from staffroom.recommendations.engine.features import row_dots, top_indices
from staffroom.recommendations.engine.graph import FloatArray, IntArray
from staffroom.recommendations.practice_posts import PRACTICE_COLUMN, PRACTICE_SLUGS
from staffroom.recommendations.snapshot import MODALITIES, Snapshot

EXPERIENCE_FULL = 20.0  # years at which experience stops adding to mentorship
PRACTICE_POSTERS = 50  # candidates the practices purpose adds: who posts most about them


@dataclass(frozen=True)
class Overlap:
    """For each pool candidate: how many subject, grade, band and practice tokens it shares
    with the teacher, and whether the teacher has any of each kind."""

    subjects: FloatArray
    grades: FloatArray
    bands: FloatArray
    practices: FloatArray
    has: dict[str, bool]


def _indicator(snap: Snapshot, tokens: set[str], kind: str) -> tuple[FloatArray, bool]:
    vector = np.zeros(snap.terms.shape[1])
    columns = [
        snap.vocabulary[t] for t in tokens if t.startswith(f"{kind}:") and t in snap.vocabulary
    ]
    vector[columns] = 1.0
    return vector, any(t.startswith(f"{kind}:") for t in tokens)


def overlap(snap: Snapshot, tokens: set[str], pool: IntArray) -> Overlap:
    parts: dict[str, FloatArray] = {}
    has: dict[str, bool] = {}
    for kind in ("subject", "grade", "band", "practice"):
        vector, present = _indicator(snap, tokens, kind)
        parts[kind] = row_dots(snap.terms, pool, vector)
        has[kind] = present
    return Overlap(parts["subject"], parts["grade"], parts["band"], parts["practice"], has)


def _log_share(values: FloatArray) -> FloatArray:
    top = float(np.log1p(values.max(initial=0.0)))
    return np.log1p(values) / top if top > 0 else np.zeros(len(values))


def _column(name: str) -> int:
    return MODALITIES.index(name)


def _practice_columns(tokens: set[str]) -> list[int]:
    """The teacher's practices as columns of the snapshot's practice counts."""
    return sorted(
        PRACTICE_COLUMN[token.removeprefix("practice:")]
        for token in tokens
        if token.startswith("practice:") and token.removeprefix("practice:") in PRACTICE_COLUMN
    )


def practice_posts(snap: Snapshot, tokens: set[str], pool: IntArray) -> FloatArray:
    """For each candidate, its recent public posts about each of the teacher's practices,
    summed over those practices (a post about two of them counts twice)."""
    columns = _practice_columns(tokens)
    if not columns or len(pool) == 0:
        return np.zeros(len(pool))
    wanted = np.zeros(len(PRACTICE_SLUGS))
    wanted[columns] = 1.0
    return row_dots(snap.practice_posts, pool, wanted)


def purpose_candidates(snap: Snapshot, tokens: set[str], weights: dict[str, float]) -> IntArray:
    """Accounts a purpose brings into the candidate pool beyond the engine's graph and
    profile sources: for `practices`, the PRACTICE_POSTERS who posted most about the
    teacher's practices, wherever they are in the network (the other purposes re-rank the
    engine's pool, which already holds the teacher's subjects, grades and neighbours)."""
    columns = _practice_columns(tokens) if "practices" in weights else []
    if not columns:
        return np.zeros(0, dtype=np.int64)
    wanted = np.zeros(len(PRACTICE_SLUGS))
    wanted[columns] = 1.0
    posts = np.asarray(snap.practice_posts @ wanted, dtype=np.float64)
    return top_indices(posts, PRACTICE_POSTERS)


def _posted_counts(snap: Snapshot, index: int) -> dict[int, int]:
    """Recent public posts of one account (a snapshot index) by practice column."""
    row = snap.practice_posts.getrow(index)
    return {int(c): int(n) for c, n in zip(row.indices.tolist(), row.data.tolist(), strict=True)}


def posted_practices(snap: Snapshot, tokens: set[str], index: int) -> list[tuple[str, int]]:
    """The teacher's practices one candidate (a snapshot index) posted about lately, as
    (slug, posts), the most posted first."""
    counts = _posted_counts(snap, index)
    found = [(PRACTICE_SLUGS[c], counts[c]) for c in _practice_columns(tokens) if c in counts]
    return sorted(found, key=lambda item: (-item[1], item[0]))


def practice_tokens_posted(snap: Snapshot, index: int) -> set[str]:
    """The practices one account (a snapshot index) posted about lately, as profile tokens
    (`practice:<slug>`), as if its profile listed them."""
    return {f"practice:{PRACTICE_SLUGS[c]}" for c in _posted_counts(snap, index)}


def facts(snap: Snapshot, pool: IntArray, tokens: set[str] | None = None) -> dict[str, FloatArray]:
    """The per-candidate facts the purposes and their explanations read; `tokens`, the
    teacher's, for the facts about what the two share."""
    posts = snap.posts[pool]
    shared = posts[:, [_column(Modality.RESOURCE), _column(Modality.LINK)]].sum(axis=1)
    return {
        "posts": posts.sum(axis=1),
        "practice_posts": practice_posts(snap, tokens or set(), pool),
        "resources": shared,
        "followers": snap.arrays.indeg[pool],
        "experience": snap.experience[pool],
        "offers_mentorship": snap.offers_mentorship[pool].astype(np.float64),
        "reciprocal": snap.reciprocal[pool].astype(np.float64),
        "followback": snap.arrays.followback[pool],
    }


def purpose_scores(purpose: str, found: dict[str, FloatArray], shared: Overlap) -> FloatArray:
    """The pool's scores in [0, 1] for one purpose."""
    subject = (shared.subjects > 0).astype(np.float64) if shared.has["subject"] else 1.0
    grade = (
        ((shared.grades > 0) | (shared.bands > 0)).astype(np.float64)
        if shared.has["grade"]
        else 1.0
    )
    band = (shared.bands > 0).astype(np.float64) if shared.has["band"] else 1.0
    activity = _log_share(found["posts"])
    match purpose:
        case "resources":
            topical = 0.5 * subject + 0.5 * grade
            return np.asarray(_log_share(found["resources"]) * (0.3 + 0.7 * topical))
        case "inspiration":
            return np.asarray(_log_share(found["followers"]) * (0.7 + 0.3 * subject))
        case "support":
            # Without the teacher's own grades or subjects nobody is more of a peer.
            band = band if shared.has["band"] else 0.5
            subject = subject if shared.has["subject"] else 0.5
            peer = 0.5 * band + 0.5 * subject
            style = 0.5 + 0.4 * found["reciprocal"] + 0.1 * found["followback"]
            return np.asarray(peer * style)
        case "mentorship":
            years = np.minimum(found["experience"], EXPERIENCE_FULL) / EXPERIENCE_FULL
            return np.asarray(
                found["offers_mentorship"] * (0.5 + 0.5 * years) * (0.6 + 0.4 * subject)
            )
        case "practices":
            if not shared.has["practice"]:
                return np.zeros(len(activity))
            # Posting about them says more than listing them (a profile is written once):
            # the most prolific poster in the pool scores 1 on posts alone, a listing
            # adds at most 0.4 to those who post less.
            posted = _log_share(found["practice_posts"])
            common = np.minimum(shared.practices, 3.0) / 3.0
            listed = 0.4 * common * (0.4 + 0.6 * activity)
            return np.asarray(np.minimum(posted + listed, 1.0))
        case _:
            raise ValueError(f"unknown purpose {purpose!r}")


def learning_scores(snap: Snapshot, pool: IntArray, styles: list[str]) -> FloatArray:
    """The share of each candidate's recent posts in the modalities the teacher prefers
    (0 for candidates who have not posted, or when the teacher named no preference)."""
    wanted = modalities_for_learning_styles(styles)
    if not wanted:
        return np.zeros(len(pool))
    posts = snap.posts[pool]
    columns = [_column(m) for m in MODALITIES if m in wanted]
    total = posts.sum(axis=1)
    return np.asarray(posts[:, columns].sum(axis=1) / np.maximum(total, 1.0))
