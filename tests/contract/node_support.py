"""masto.js (npm `masto`, pinned in tests/contract/masto/package-lock.json) for the contract
tests that drive the server with Node: where the harness lives and the check that it is
installed (`make test-deps` runs `npm ci`; STAFFROOM_SKIP_NODE=1 skips on purpose)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

HARNESS = Path(__file__).resolve().parent / "masto"


def require_node() -> str:
    """The `node` executable, or the test is skipped (asked for) or failed (missing)."""
    if os.environ.get("STAFFROOM_SKIP_NODE") == "1":
        pytest.skip("STAFFROOM_SKIP_NODE=1")
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed (set STAFFROOM_SKIP_NODE=1 to skip this test)")
    if not (HARNESS / "node_modules" / "masto" / "package.json").is_file():
        pytest.fail(
            f"masto.js is not installed in {HARNESS}/node_modules: run `make test-deps` "
            "(or set STAFFROOM_SKIP_NODE=1 to skip this test)"
        )
    return node


def node_environment() -> dict[str, str]:
    """The shell's environment without proxies: the server is on 127.0.0.1."""
    return {key: value for key, value in os.environ.items() if "proxy" not in key.lower()}
