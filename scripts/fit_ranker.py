"""Fit the suggestion ranker offline and export it to the JSON the engine scores with numpy.

The shipped model (staffroom/recommendations/model/ranker.json) was made with:

    .venv/bin/pip install -e '.[fit]'
    .venv/bin/python scripts/fit_ranker.py \
        ../shared/data/ego-twitter-a ../shared/data/ego-facebook \
        --out staffroom/recommendations/model/ranker.json

Training data: for each dataset and mode, splits drawn with the README protocol but with seeds
FIT_SEEDS (never the evaluation seed 42), from users that exclude the evaluation users (those
seed 42 draws for --eval-users). Each query's candidate pool and features come from the
engine's own `candidates_with_features`, so fitting and serving cannot drift. Labels: the
candidate is one of the query's hidden follows. Model: scikit-learn's histogram gradient
boosting (fixed random_state; never scoring lower for more in common, `INCREASING_FEATURES`),
exported node by node. Fitting on one dataset only (a
cross-dataset check) is the same command with one dataset and another --out.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from staffroom.recommendations.engine.api import candidates_with_features, excluded_mask
from staffroom.recommendations.engine.evaluate import draw_users, make_split
from staffroom.recommendations.engine.features import FEATURES, neighbourhood_of, precompute
from staffroom.recommendations.engine.graph import Dataset, load_dataset
from staffroom.recommendations.engine.ranker import INCREASING_FEATURES, TreeEnsemble

FIT_SEEDS = (1001, 1002)
EVAL_SEED = 42
NEGATIVE_RATE = 0.3  # negatives kept per pool (positives are all kept)


def examples(
    data: Dataset, cold: bool, users: int, eval_users: int
) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels of the candidate pools of the training queries of one dataset."""
    held_out = draw_users(data, eval_users, np.random.default_rng(EVAL_SEED))
    xs, ys = [], []
    sampler = np.random.default_rng(7)
    empty = np.zeros(0, dtype=np.int64)
    for seed in FIT_SEEDS:
        split = make_split(data, users, seed, cold, exclude_users=held_out)
        if np.isin(split.users, held_out).any():
            raise SystemExit("a training query is an evaluation user")
        arrays = precompute(split.train)
        for u in split.users.tolist():
            nb = neighbourhood_of(arrays, u)
            pool, x = candidates_with_features(arrays, nb, excluded_mask(arrays, nb, empty))
            y = np.isin(pool, split.hidden[u])
            keep = y | (sampler.random(len(pool)) < NEGATIVE_RATE)
            xs.append(x[keep])
            ys.append(y[keep])
    return np.vstack(xs), np.concatenate(ys)


def export(model: object) -> dict[str, object]:
    """The fitted HistGradientBoostingClassifier as flat node arrays (see ranker.TreeEnsemble)."""
    feature: list[int] = []
    left: list[int] = []
    right: list[int] = []
    roots: list[int] = []
    threshold: list[float] = []
    value: list[float] = []
    depth = 0
    for (tree,) in model._predictors:  # type: ignore[attr-defined]
        nodes = tree.nodes
        offset = len(feature)
        roots.append(offset)
        for node in nodes:
            leaf = bool(node["is_leaf"])
            feature.append(0 if leaf else int(node["feature_idx"]))
            threshold.append(0.0 if leaf else float(node["num_threshold"]))
            left.append(-1 if leaf else offset + int(node["left"]))
            right.append(-1 if leaf else offset + int(node["right"]))
            value.append(float(node["value"]) if leaf else 0.0)
        depth = max(depth, int(nodes["depth"].max()))
    return {
        "features": list(FEATURES),
        "feature": feature,
        "threshold": threshold,
        "left": left,
        "right": right,
        "value": value,
        "roots": roots,
        "depth": depth,
        "base": float(np.ravel(model._baseline_prediction)[0]),  # type: ignore[attr-defined]
    }


def fit(x: np.ndarray, y: np.ndarray) -> object:
    from sklearn.ensemble import HistGradientBoostingClassifier

    model = HistGradientBoostingClassifier(
        max_iter=120,
        learning_rate=0.1,
        max_leaf_nodes=15,
        max_depth=6,  # scoring walks every tree to this depth
        min_samples_leaf=40,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=0,
        monotonic_cst=[1 if name in INCREASING_FEATURES else 0 for name in FEATURES],
    )
    model.fit(x, y)
    ensemble = TreeEnsemble.from_json(export(model))
    sample = x[:2000]
    gap = np.abs(ensemble.score(sample) - model.decision_function(sample)).max()
    if gap > 1e-6:
        raise SystemExit(f"exported trees disagree with scikit-learn by {gap}")
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datasets", nargs="+")
    parser.add_argument("--out", required=True)
    parser.add_argument("--users", type=int, default=1000, help="training queries per split")
    parser.add_argument("--eval-users", type=int, default=1000)
    args = parser.parse_args()
    data = [load_dataset(d) for d in args.datasets]
    models: dict[str, object] = {}
    for mode in ("follow", "cold"):
        start = time.perf_counter()
        parts = [examples(d, mode == "cold", args.users, args.eval_users) for d in data]
        x = np.vstack([p[0] for p in parts])
        y = np.concatenate([p[1] for p in parts])
        models[mode] = export(fit(x, y))
        took = time.perf_counter() - start
        print(f"{mode}: {len(y)} rows, {int(y.sum())} positives, {took:.0f}s", file=sys.stderr)
    meta = {
        "trained_on": [d.name for d in data],
        "fit_seeds": list(FIT_SEEDS),
        "command": "scripts/fit_ranker.py " + " ".join(sys.argv[1:]),
    }
    Path(args.out).write_text(json.dumps({"meta": meta, "models": models}, separators=(",", ":")))


if __name__ == "__main__":
    main()
