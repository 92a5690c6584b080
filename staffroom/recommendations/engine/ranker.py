"""Scoring candidates: a learned tree ensemble exported to arrays, or a hand-weighted fallback.

The learned model is a JSON file (see scripts/fit_ranker.py) holding, per mode ("follow" for
teachers who follow someone, "cold" for a profile only), the ensemble's nodes as flat arrays.
Scoring walks all trees at once with numpy only. Without a model file the ranker uses
`HAND_WEIGHTS`: a weighted sum of features, the unbounded ones first divided by their largest
value in the pool so that each lies in [0, 1].
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from staffroom.recommendations.engine.features import COLUMN
from staffroom.recommendations.engine.graph import FloatArray, IntArray

DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "model" / "ranker.json"

# The documented fallback: common neighbours (Adamic-Adar) lead; "follows you" counts in
# proportion to how often the teacher follows back; collaborative and walk signals next;
# profile signals matter most when the graph says little (cold start).
HAND_WEIGHTS: dict[str, float] = {
    "aa": 1.0,
    "cn_frac": 0.3,
    "follows_you": 0.4,
    "user_fb_x_follows_you": 1.0,
    "cf": 0.5,
    "walk": 0.3,
    "in_out": 0.2,
    "list_co": 0.3,
    "list_own": 0.2,
    "prof_self": 0.3,
    "prof_centroid": 0.3,
    "prof_cf": 0.6,
}
# Features whose growth never lowers a learned score (scripts/fit_ranker.py fits under
# that constraint): more in common with a candidate, people you both follow or profile
# terms, is never a reason to rank them lower. Fitted without it, the cold model ranked a
# grade 7 math teacher with a newcomer's exact profile below art teachers of another grade.
INCREASING_FEATURES = ("aa", "cn", "cn_frac", "ra", "prof_self", "prof_centroid", "shared_tokens")
POOL_NORMALISED = ("aa", "cf", "walk", "in_out", "list_co", "list_own", "prof_cf")


def contributions(x: FloatArray) -> dict[str, FloatArray]:
    """Per-feature contributions of the hand-weighted score, one array per weight."""
    out: dict[str, FloatArray] = {}
    for name, weight in HAND_WEIGHTS.items():
        if name == "user_fb_x_follows_you":
            col = x[:, COLUMN["follows_you"]] * x[:, COLUMN["user_followback"]]
        else:
            col = x[:, COLUMN[name]]
            if name in POOL_NORMALISED:
                col = col / max(float(col.max(initial=0.0)), 1e-12)
        out[name] = weight * col
    return out


def hand_score(x: FloatArray) -> FloatArray:
    """The fallback score of each row of a feature matrix."""
    parts = contributions(x)
    total = np.zeros(x.shape[0])
    for col in parts.values():
        total += col
    return total


@dataclass(frozen=True)
class TreeEnsemble:
    """Additive binary-split trees as flat arrays; a leaf has left == -1."""

    features: tuple[str, ...]
    feature: IntArray
    threshold: FloatArray
    left: IntArray
    right: IntArray
    value: FloatArray
    roots: IntArray
    depth: int
    base: float

    def score(self, x: FloatArray) -> FloatArray:
        """Raw ensemble output (a log-odds) for each row of x (columns in FEATURES order).

        Every row walks every tree at once, one level per step, as indices into flat node
        tables (`_walk_tables`): a node's split feature and threshold, its left child (the
        right one is next to it) and, at the bottom, its leaf value. Flat `take`s, not 2-D
        fancy indexing: about a third faster for a pool of 500.
        """
        feature, threshold, left, leaf, per_tree = self._walk_tables
        cols = np.ascontiguousarray(x[:, [COLUMN[f] for f in self.features]])
        rows, width = cols.shape
        values = cols.ravel()
        row_start = (np.arange(rows) * width)[:, np.newaxis]
        trees = len(self.roots)
        node = np.broadcast_to(np.arange(trees) * per_tree, (rows, trees)).copy()
        for _ in range(self.depth):
            right = values.take(row_start + feature.take(node)) > threshold.take(node)
            node = left.take(node) + right
        return np.asarray(self.base + leaf.take(node).sum(axis=1), dtype=np.float64)

    @functools.cached_property
    def _walk_tables(self) -> tuple[IntArray, FloatArray, IntArray, FloatArray, int]:
        """`_layout`'s complete trees as flat tables over all nodes of all trees (tree t's
        node i at t * per_tree + i; children of i at 2i+1 and 2i+2; leaves last)."""
        split_feature, split_threshold, leaf_value = self._layout
        trees, inner = split_feature.shape
        per_tree = 2 * inner + 1
        feature = np.zeros((trees, per_tree), dtype=np.intp)
        feature[:, :inner] = split_feature
        threshold = np.full((trees, per_tree), np.inf)
        threshold[:, :inner] = split_threshold
        leaf = np.zeros((trees, per_tree))
        leaf[:, inner:] = leaf_value
        left = (2 * np.arange(per_tree) + 1)[np.newaxis, :] + (np.arange(trees) * per_tree)[
            :, np.newaxis
        ]
        left[:, inner:] = 0  # leaves have no children (never followed: the walk ends there)
        return feature.ravel(), threshold.ravel(), left.ravel(), leaf.ravel(), per_tree

    @functools.cached_property
    def _layout(self) -> tuple[IntArray, FloatArray, FloatArray]:
        """Every tree padded to a complete tree of `depth` levels (a leaf above the bottom
        level becomes a split that always goes left, with its value copied below)."""
        inner = 2**self.depth - 1
        feature = np.zeros((len(self.roots), inner), dtype=np.int64)
        threshold = np.full((len(self.roots), inner), np.inf)
        leaf = np.zeros((len(self.roots), inner + 1))
        for t, root in enumerate(self.roots.tolist()):
            stack = [(root, 0, 0)]
            while stack:
                node, pos, level = stack.pop()
                if level == self.depth:
                    leaf[t, pos - inner] = self.value[node]
                    continue
                if self.left[node] >= 0:
                    feature[t, pos] = self.feature[node]
                    threshold[t, pos] = self.threshold[node]
                    children = (int(self.left[node]), int(self.right[node]))
                else:
                    children = (node, node)
                stack += [
                    (children[0], 2 * pos + 1, level + 1),
                    (children[1], 2 * pos + 2, level + 1),
                ]
        return feature, threshold, leaf

    @classmethod
    def from_json(cls, data: dict[str, object]) -> TreeEnsemble:
        def arr(key: str, dtype: type) -> np.ndarray:
            return np.asarray(data[key], dtype=dtype)

        features = tuple(str(f) for f in data["features"])  # type: ignore[attr-defined]
        unknown = [f for f in features if f not in COLUMN]
        if unknown:
            raise ValueError(f"model uses unknown features {unknown}")
        return cls(
            features=features,
            feature=arr("feature", np.int64),
            threshold=arr("threshold", np.float64),
            left=arr("left", np.int64),
            right=arr("right", np.int64),
            value=arr("value", np.float64),
            roots=arr("roots", np.int64),
            depth=int(data["depth"]),  # type: ignore[call-overload]
            base=float(data["base"]),  # type: ignore[arg-type]
        )


@dataclass(frozen=True)
class Ranker:
    """Scores a pool: the learned ensemble for the query's mode if present, else HAND_WEIGHTS."""

    follow: TreeEnsemble | None = None
    cold: TreeEnsemble | None = None

    def score(self, x: FloatArray, cold: bool) -> FloatArray:
        model = self.cold if cold else self.follow
        if model is None or x.shape[0] == 0:
            return hand_score(x)
        return model.score(x)

    @property
    def learned(self) -> bool:
        return self.follow is not None or self.cold is not None


def load_ranker(path: str | Path | None = DEFAULT_MODEL) -> Ranker:
    """The ranker from a model file; the hand-weighted ranker if path is None or missing.

    Raises ValueError if the file exists but is not a valid model.
    """
    if path is None or not Path(path).is_file():
        return Ranker()
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        models = data["models"]
        return Ranker(
            follow=TreeEnsemble.from_json(models["follow"]) if "follow" in models else None,
            cold=TreeEnsemble.from_json(models["cold"]) if "cold" in models else None,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{path}: not a valid ranker model ({exc})") from exc
