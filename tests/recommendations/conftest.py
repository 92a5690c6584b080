"""Tiny hand-built datasets for the engine tests (never ../shared/data), and the test
community built once per module for the tests that read it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from staffroom.recommendations.snapshot import snapshot_build
from tests.conftest import Shared, built_once
from tests.recommendations.community import Community, build_community


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker) -> Iterator[Shared[Community]]:
    """The community and a snapshot of it, built once for the module's tests (what a test
    writes is rolled back after it)."""

    def build() -> Community:
        community = build_community()
        snapshot_build()
        return community

    yield from built_once(django_db_blocker, build)


# 0 follows 1, 2, 3; 1, 2 and 3 all follow 4; 2 and 3 follow 5; 6 follows 0; 7 is isolated.
EDGES = [(0, 1), (0, 2), (0, 3), (1, 4), (2, 4), (3, 4), (2, 5), (3, 5), (6, 0), (4, 1), (5, 7)]
PROFILES = {
    0: "#math grade7 #edchat",
    1: "#math grade7",
    4: "#math grade8",
    5: "#science",
    6: "#math grade7 #edchat",
    7: "#math grade7 #edchat",
}
LISTS = [(1, "maths", [4, 5]), (0, "mine", [1, 2])]


def write_dataset(
    folder: Path,
    edges: list[tuple[int, int]] = EDGES,
    nodes: int = 8,
    directed: bool = True,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "edges.tsv").write_text("".join(f"{a}\t{b}\n" for a, b in edges))
    (folder / "profiles.tsv").write_text("".join(f"{n}\t{t}\n" for n, t in PROFILES.items()))
    (folder / "lists.tsv").write_text(
        "".join(f"{o}\t{lid}\t{' '.join(map(str, m))}\n" for o, lid, m in LISTS)
    )
    meta = {"name": "tiny", "directed": directed, "nodes": nodes, "edges": len(edges)}
    (folder / "meta.json").write_text(json.dumps(meta))
    return folder


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return write_dataset(tmp_path / "tiny")
