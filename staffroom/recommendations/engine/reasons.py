"""Structured reasons for a suggestion: kind, text and weight, from the features that ranked it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from staffroom.recommendations.engine.features import COLUMN
from staffroom.recommendations.engine.graph import FloatArray

MAX_REASONS = 3


@dataclass(frozen=True)
class Reason:
    kind: str
    text: str
    weight: float


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many.format(count)


def _text(kind: str, row: FloatArray) -> str:
    cn = int(row[COLUMN["cn"]])
    match kind:
        case "followed_by_followees":
            return _plural(
                cn, "followed by 1 person you follow", "followed by {} people you follow"
            )
        case "follows_you":
            return "follows you"
        case "followed_by_followers":
            count = int(row[COLUMN["in_out"]])
            return _plural(
                count, "followed by 1 of your followers", "followed by {} of your followers"
            )
        case "similar_interests":
            return "followed by people who follow the same accounts as you"
        case "lists":
            return "listed alongside people you follow"
        case "similar_profile":
            count = int(row[COLUMN["shared_tokens"]])
            return _plural(
                count, "shares 1 profile interest with you", "shares {} profile interests with you"
            )
        case "followed_by_similar_profiles":
            return "followed by teachers with profiles like yours"
        case "like_your_network":
            return "has a profile like the people you follow"
        case _:
            return "popular on this network"


# kind -> the fallback-ranker contributions (see ranker.contributions) that support it
KINDS: dict[str, tuple[str, ...]] = {
    "followed_by_followees": ("aa", "cn_frac"),
    "follows_you": ("follows_you",),
    "followed_by_followers": ("in_out",),
    "similar_interests": ("cf", "walk"),
    "lists": ("list_co", "list_own"),
    "similar_profile": ("prof_self",),
    "followed_by_similar_profiles": ("prof_cf",),
    "like_your_network": ("prof_centroid",),
}


def explain(row: FloatArray, contributions: dict[str, float]) -> tuple[Reason, ...]:
    """Up to MAX_REASONS reasons, strongest first; weights sum to 1. Popularity if nothing else."""
    strength = {
        kind: sum(contributions.get(f, 0.0) for f in feats) for kind, feats in KINDS.items()
    }
    kept = sorted((k for k, s in strength.items() if s > 0), key=lambda k: -strength[k])[
        :MAX_REASONS
    ]
    if not kept:
        return (Reason("popular", _text("popular", row), 1.0),)
    total = float(np.sum([strength[k] for k in kept]))
    return tuple(Reason(k, _text(k, row), round(strength[k] / total, 3)) for k in kept)
