import numpy as np

from staffroom.recommendations.engine.baselines import Baselines
from staffroom.recommendations.engine.evaluate import make_split, metrics_for
from staffroom.recommendations.engine.features import precompute
from staffroom.recommendations.engine.graph import Dataset, ListRow, binary_csr
from staffroom.recommendations.engine.synthetic import synthetic_network


def _graph(directed=True):
    data = synthetic_network(300, 6000, seed=3)
    if directed:
        return data
    coo = data.follows.tocoo()
    rows = np.concatenate([coo.row, coo.col]).astype(np.int64)
    cols = np.concatenate([coo.col, coo.row]).astype(np.int64)
    return Dataset("u", False, binary_csr(rows, cols, data.follows.shape), data.profiles, ())


def test_make_split_hides_a_fifth_of_each_query_users_follows():
    data = _graph()
    split = make_split(data, 20, seed=5, cold=False)
    assert len(split.users) == 20
    assert list(split.users) == sorted(split.users)
    for u, hidden in split.hidden.items():
        before = data.follows[u].indices
        assert len(hidden) == max(1, round(0.2 * len(before)))
        assert set(hidden) <= set(before)
        assert not set(hidden) & set(split.train.follows[u].indices)
    removed = data.follows.nnz - split.train.follows.nnz
    assert removed == sum(len(h) for h in split.hidden.values())


def test_make_split_is_reproducible_and_seed_dependent():
    data = _graph()
    a = make_split(data, 20, seed=5, cold=False)
    b = make_split(data, 20, seed=5, cold=False)
    c = make_split(data, 20, seed=6, cold=False)
    assert a.users.tolist() == b.users.tolist()
    assert a.users.tolist() != c.users.tolist()


def test_make_split_undirected_removes_both_directions():
    data = _graph(directed=False)
    split = make_split(data, 10, seed=1, cold=False)
    for u, hidden in split.hidden.items():
        for v in hidden:
            assert split.train.follows[u, v] == 0
            assert split.train.follows[v, u] == 0


def test_make_split_cold_removes_every_edge_and_list_of_query_users():
    data = _graph()
    u0 = int(np.flatnonzero(np.diff(data.follows.indptr) >= 5)[0])
    lists = (ListRow(u0, "a", np.array([1, 2])), ListRow(7, "b", np.arange(300)))
    data = Dataset(data.name, True, data.follows, data.profiles, lists)
    split = make_split(data, 15, seed=2, cold=True)
    train = split.train.follows
    for u in split.users:
        assert train[u].nnz == 0
        assert train[:, u].nnz == 0
    assert all(row.owner not in split.hidden for row in split.train.lists)
    for row in split.train.lists:
        assert not set(row.members) & set(split.users.tolist())


def test_make_split_excludes_given_users():
    data = _graph()
    first = make_split(data, 30, seed=42, cold=False).users
    other = make_split(data, 30, seed=7, cold=False, exclude_users=first).users
    assert not set(first) & set(other)


def test_metrics_for_binary_gain():
    m = metrics_for(np.array([5, 1, 9, 2]), np.array([1, 2]), 4)
    assert m["recall"] == 1.0
    assert m["precision"] == 0.5
    assert m["mrr"] == 0.5
    ideal = 1 + 1 / np.log2(3)
    assert abs(m["ndcg"] - (1 / np.log2(3) + 1 / np.log2(5)) / ideal) < 1e-12


def test_baselines_return_k_unfollowed_accounts():
    data = _graph()
    arrays = precompute(data)
    baselines = Baselines(arrays, 10)
    excluded = np.zeros(arrays.n, dtype=bool)
    excluded[0] = True
    excluded[data.follows[0].indices] = True
    for name, method in baselines.methods().items():
        ranked = method(0, excluded)
        assert len(ranked) == 10, name
        assert len(set(ranked.tolist())) == 10, name
        assert not excluded[ranked].any(), name


def test_adamic_adar_weights_shared_followees_by_their_out_degree(tiny):
    from staffroom.recommendations.engine.graph import load_dataset

    arrays = precompute(load_dataset(tiny))
    excluded = np.zeros(arrays.n, dtype=bool)
    excluded[[0, 1, 2, 3]] = True
    assert Baselines(arrays, 2).adamic_adar(0, excluded).tolist() == [4, 5]
