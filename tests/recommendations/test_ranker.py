import json

import numpy as np
import pytest

from staffroom.recommendations.engine.features import COLUMN, FEATURES
from staffroom.recommendations.engine.ranker import (
    DEFAULT_MODEL,
    INCREASING_FEATURES,
    Ranker,
    TreeEnsemble,
    hand_score,
    load_ranker,
)

# two stumps: aa <= 0.5 ? -1 : 2 ; follows_you <= 0.5 ? 0 : 3 ; base 0.25
STUMPS = {
    "features": ["aa", "follows_you"],
    "feature": [0, 0, 0, 1, 0, 0],
    "threshold": [0.5, 0.0, 0.0, 0.5, 0.0, 0.0],
    "left": [1, -1, -1, 4, -1, -1],
    "right": [2, -1, -1, 5, -1, -1],
    "value": [0.0, -1.0, 2.0, 0.0, 0.0, 3.0],
    "roots": [0, 3],
    "depth": 1,
    "base": 0.25,
}


def _rows(*pairs):
    x = np.zeros((len(pairs), len(FEATURES)))
    for i, (aa, fy) in enumerate(pairs):
        x[i, COLUMN["aa"]] = aa
        x[i, COLUMN["follows_you"]] = fy
    return x


def test_tree_ensemble_scores_with_numpy():
    model = TreeEnsemble.from_json(STUMPS)
    scores = model.score(_rows((0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)))
    assert scores.tolist() == [-0.75, 2.25, 2.25, 5.25]


def test_ranker_uses_the_model_of_the_query_mode():
    ranker = Ranker(follow=TreeEnsemble.from_json(STUMPS))
    x = _rows((1.0, 1.0))
    assert ranker.score(x, cold=False).tolist() == [5.25]
    assert ranker.score(x, cold=True).tolist() == hand_score(x).tolist()


def test_load_ranker_falls_back_to_hand_weights(tmp_path):
    assert not load_ranker(tmp_path / "missing.json").learned
    assert not load_ranker(None).learned


def test_load_ranker_rejects_a_broken_model(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"models": {"follow": {**STUMPS, "features": ["nope"]}}}))
    with pytest.raises(ValueError, match="not a valid ranker model"):
        load_ranker(path)


def test_shipped_model_is_small_and_loads():
    assert DEFAULT_MODEL.stat().st_size < 1_000_000
    ranker = load_ranker(DEFAULT_MODEL)
    assert ranker.follow is not None
    assert ranker.cold is not None


# an unbalanced tree: aa <= 1 ? (leaf 1.0) : (cn <= 2 ? (walk <= 0.5 ? 2.0 : 3.0) : 4.0)
UNBALANCED = {
    "features": ["aa", "cn", "walk"],
    "feature": [0, 0, 1, 2, 0, 0, 0],
    "threshold": [1.0, 0.0, 2.0, 0.5, 0.0, 0.0, 0.0],
    "left": [1, -1, 3, 5, -1, -1, -1],
    "right": [2, -1, 4, 6, -1, -1, -1],
    "value": [0.0, 1.0, 0.0, 0.0, 4.0, 2.0, 3.0],
    "roots": [0],
    "depth": 3,
    "base": 0.0,
}


def test_tree_ensemble_handles_leaves_at_different_depths():
    model = TreeEnsemble.from_json(UNBALANCED)
    x = np.zeros((4, len(FEATURES)))
    x[:, COLUMN["aa"]] = [0.5, 2.0, 2.0, 2.0]
    x[:, COLUMN["cn"]] = [9.0, 1.0, 1.0, 3.0]
    x[:, COLUMN["walk"]] = [9.0, 0.1, 0.9, 0.0]
    assert model.score(x).tolist() == [1.0, 2.0, 3.0, 4.0]


def _walk_one(model: TreeEnsemble, row: np.ndarray) -> float:
    """The plain reading of the trees, one row and one node at a time."""
    total = model.base
    for root in model.roots.tolist():
        node = root
        while model.left[node] >= 0:
            value = row[COLUMN[model.features[model.feature[node]]]]
            node = model.right[node] if value > model.threshold[node] else model.left[node]
        total += model.value[node]
    return total


def test_the_shipped_models_score_as_a_plain_walk_of_their_trees():
    ranker = load_ranker(DEFAULT_MODEL)
    rng = np.random.default_rng(5)
    x = rng.random((60, len(FEATURES))) * rng.integers(1, 40, size=len(FEATURES))
    x[::3] = np.round(x[::3])  # values equal to a threshold take the left branch
    for model in (ranker.follow, ranker.cold):
        assert model is not None
        expected = [_walk_one(model, row) for row in x]
        assert np.allclose(model.score(x), expected, rtol=0, atol=1e-9)


def _drops_when_more_in_common(model: TreeEnsemble) -> list[str]:
    """The increasing features for which raising the value lowers some row's score."""
    rng = np.random.default_rng(3)
    x = rng.random((400, len(FEATURES))) * rng.choice([1.0, 5.0, 50.0], size=len(FEATURES))
    base = model.score(x)
    drops = []
    for name in INCREASING_FEATURES:
        for step in (0.01, 0.1, 1.0, 10.0):
            raised = x.copy()
            raised[:, COLUMN[name]] += step
            if (model.score(raised) < base - 1e-9).any():
                drops.append(name)
                break
    return drops


@pytest.mark.parametrize("mode", ["follow", "cold"])
def test_the_shipped_model_never_scores_lower_for_more_in_common(mode):
    model = getattr(load_ranker(DEFAULT_MODEL), mode)
    assert model is not None
    assert _drops_when_more_in_common(model) == []


def test_the_monotonicity_check_finds_a_model_that_drops():
    falling = {**STUMPS, "value": [0.0, 2.0, -1.0, 0.0, 0.0, 3.0]}  # more aa, lower score
    assert _drops_when_more_in_common(TreeEnsemble.from_json(falling)) == ["aa"]
