import numpy as np

from staffroom.recommendations.cli import main
from staffroom.recommendations.engine.features import gather, precompute, row_dots
from staffroom.recommendations.engine.graph import binary_csr
from staffroom.recommendations.engine.synthetic import synthetic_network


def test_synthetic_network_is_seeded_and_sized():
    a = synthetic_network(1000, 20000, seed=1)
    b = synthetic_network(1000, 20000, seed=1)
    assert (a.follows != b.follows).nnz == 0
    assert 17000 < a.follows.nnz < 23000
    assert a.follows.diagonal().sum() == 0
    assert precompute(a).n == 1000


def test_gather_and_row_dots_match_dense_algebra():
    rng = np.random.default_rng(0)
    rows = rng.integers(0, 20, 200).astype(np.int64)
    cols = rng.integers(0, 30, 200).astype(np.int64)
    mat = binary_csr(rows, cols, (20, 30))
    mat.data[:] = rng.random(mat.nnz)
    pick = np.array([3, 7, 7, 11], dtype=np.int64)
    weights = np.array([0.5, 1.0, 2.0, 3.0])
    dense = mat.toarray()
    assert np.allclose(gather(mat, pick, weights, 30), weights @ dense[pick])
    vector = rng.random(30)
    assert np.allclose(row_dots(mat, pick, vector), dense[pick] @ vector)


def test_latency_command_on_a_small_synthetic_network(capsys):
    assert main(["latency", "--synthetic", "2000:30000", "--queries", "20"]) == 0
    out = capsys.readouterr().out
    assert '"engine"' in out
    assert '"p99_ms"' in out


def test_latency_command_rejects_a_bad_size(capsys):
    assert main(["latency", "--synthetic", "lots"]) == 2
    assert "USERS:FOLLOWS" in capsys.readouterr().err
