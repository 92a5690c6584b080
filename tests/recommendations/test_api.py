import numpy as np

from staffroom.recommendations.engine.api import suggest
from staffroom.recommendations.engine.features import neighbourhood_of, precompute
from staffroom.recommendations.engine.graph import load_dataset
from staffroom.recommendations.engine.ranker import Ranker

NONE = np.zeros(0, dtype=np.int64)


def _arrays(tiny):
    return precompute(load_dataset(tiny))


def test_suggest_ranks_friends_of_friends_first_and_never_self_or_followed(tiny):
    arrays = _arrays(tiny)
    result = suggest(arrays, neighbourhood_of(arrays, 0), NONE, 3, Ranker())
    ids = result.ids.tolist()
    assert ids[0] == 4  # followed by all three of 0's followees
    assert 6 in ids  # follows 0, with the same profile
    assert not {0, 1, 2, 3} & set(ids)
    assert len(ids) == 3
    assert list(result.scores[:2]) == sorted(result.scores[:2], reverse=True)


def test_suggest_returns_every_candidate_when_fewer_than_k(tiny):
    arrays = _arrays(tiny)
    ids = suggest(arrays, neighbourhood_of(arrays, 0), NONE, 50, Ranker()).ids.tolist()
    assert sorted(ids) == [4, 5, 6, 7]


def test_suggest_honours_the_exclusion_set(tiny):
    arrays = _arrays(tiny)
    blocked = np.array([4, 6], dtype=np.int64)
    ids = suggest(arrays, neighbourhood_of(arrays, 0), blocked, 10, Ranker()).ids.tolist()
    assert sorted(ids) == [5, 7]


def test_suggest_explains_with_structured_reasons(tiny):
    arrays = _arrays(tiny)
    result = suggest(arrays, neighbourhood_of(arrays, 0), NONE, 4, Ranker())
    by_id = dict(zip(result.ids.tolist(), result.reasons, strict=True))
    texts = [r.text for r in by_id[4]]
    assert "followed by 3 people you follow" in texts
    assert by_id[6][0].kind == "follows_you"
    for reasons in result.reasons:
        assert reasons
        assert abs(sum(r.weight for r in reasons) - 1.0) < 0.01


def test_suggest_cold_start_uses_profile_and_similar_profiles(tiny):
    arrays = _arrays(tiny)
    nb = neighbourhood_of(arrays, 7)
    assert nb.cold
    result = suggest(arrays, nb, NONE, 3, Ranker())
    # 0 has 7's profile and is followed by 6, whose profile is 7's too; 1 is followed by both
    assert set(result.ids[:2].tolist()) == {0, 1}
    kinds = {r.kind for reasons in result.reasons for r in reasons}
    assert "similar_profile" in kinds


def test_suggest_is_deterministic(tiny):
    arrays = _arrays(tiny)
    first = suggest(arrays, neighbourhood_of(arrays, 2), NONE, 5, Ranker())
    second = suggest(arrays, neighbourhood_of(arrays, 2), NONE, 5, Ranker())
    assert first.ids.tolist() == second.ids.tolist()
