"""The benchmarks are not run by the suite, but they import the product: a rename in
`staffroom` must not leave a benchmark that fails at its first import."""

import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.mark.parametrize(
    "module", sorted(path.stem for path in BENCH.glob("*.py") if path.stem != "__main__")
)
def test_every_benchmark_module_imports(module):
    importlib.import_module(f"bench.{module}")
