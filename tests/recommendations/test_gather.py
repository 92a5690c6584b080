"""`features.gather` takes shortcuts for matrices of ones and unweighted gathers; each must
give exactly the sums of the general path (weights times stored values, summed)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from staffroom.recommendations.engine.features import gather


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
