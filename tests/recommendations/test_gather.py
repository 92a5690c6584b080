"""`features.gather` takes shortcuts for matrices of ones and unweighted gathers; each must
give exactly the sums of the general path (weights times stored values, summed)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from staffroom.recommendations.engine.features import gather, gather_sums


def _general(mat: sp.csr_matrix, rows, weights, n: int, binary: bool) -> np.ndarray:
    dense = mat.toarray()
    if binary:
        dense = (dense != 0).astype(np.float64)
    w = np.ones(len(rows)) if weights is None else weights
    return np.asarray(w @ dense[rows], dtype=np.float64).reshape(n)


def test_every_path_of_gather_gives_the_general_sums():
    rng = np.random.default_rng(7)
    ones = sp.random(60, 40, density=0.2, format="csr", random_state=1)
    ones.data[:] = 1.0
    valued = sp.random(60, 40, density=0.2, format="csr", random_state=2)
    for mat in (ones, valued):
        for _ in range(20):
            rows = np.sort(rng.choice(60, 12, replace=False)).astype(np.int64)
            for weights in (None, rng.random(12)):
                for binary in (False, True):
                    found = gather(mat, rows, weights, 40, binary=binary)
                    assert np.allclose(found, _general(mat, rows, weights, 40, binary))
    counts = gather(ones, np.arange(60, dtype=np.int64), None, 40)
    assert np.array_equal(counts, np.asarray(ones.sum(axis=0)).ravel())


def test_several_sums_over_the_same_rows_match_one_gather_each():
    rng = np.random.default_rng(11)
    for seed in (3, 4):
        mat = sp.random(80, 50, density=0.15, format="csr", random_state=seed)
        if seed == 4:
            mat.data[:] = 1.0
        rows = np.sort(rng.choice(80, 20, replace=False)).astype(np.int64)
        specs = [(None, False), (rng.random(20), False), (None, True), (rng.random(20), True)]
        found = gather_sums(mat, rows, specs, 50)
        assert len(found) == len(specs)
        for (weights, binary), summed in zip(specs, found, strict=True):
            assert np.allclose(summed, _general(mat, rows, weights, 50, binary))
    empty = gather_sums(mat, np.zeros(0, dtype=np.int64), specs, 50)
    assert [v.tolist() for v in empty] == [[0.0] * 50] * 4
