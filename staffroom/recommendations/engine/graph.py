"""Loading a dataset folder (the layout of ../shared/data/README.md) into sparse matrices.

`edges.tsv` and `meta.json` are required; `profiles.tsv` and `lists.tsv` are optional. Every
problem with the input raises `DatasetError` with a message naming the file and line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


class DatasetError(Exception):
    """The dataset folder or a queries file is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class ListRow:
    """One purpose list: its owner, its id (a string) and its members."""

    owner: int
    list_id: str
    members: IntArray


@dataclass(frozen=True)
class Dataset:
    """A follow graph with profiles and lists. `follows[a, b] == 1` means a follows b."""

    name: str
    directed: bool
    follows: sp.csr_matrix
    profiles: sp.csr_matrix
    lists: tuple[ListRow, ...]

    @property
    def n(self) -> int:
        return int(self.follows.shape[0])


def binary_csr(rows: IntArray, cols: IntArray, shape: tuple[int, int]) -> sp.csr_matrix:
    """A csr matrix of ones at (rows, cols), duplicates collapsed, indices sorted."""
    data = np.ones(len(rows), dtype=np.float64)
    mat = sp.csr_matrix((data, (rows, cols)), shape=shape)
    mat.sum_duplicates()
    mat.data[:] = 1.0
    mat.sort_indices()
    return mat


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read ({exc.strerror})") from exc


def _node(text: str, n: int, where: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise DatasetError(f"{where}: {text!r} is not an integer node id") from None
    if not 0 <= value < n:
        raise DatasetError(f"{where}: node id {value} is out of range 0..{n - 1}")
    return value


def _meta(folder: Path) -> dict[str, object]:
    path = folder / "meta.json"
    if not path.is_file():
        raise DatasetError(f"{folder}: missing meta.json")
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError) as exc:
        raise DatasetError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(meta, dict):
        raise DatasetError(f"{path}: expected a JSON object")
    nodes = meta.get("nodes")
    if not isinstance(nodes, int) or isinstance(nodes, bool) or nodes <= 0:
        raise DatasetError(f"{path}: 'nodes' must be a positive integer")
    if not isinstance(meta.get("directed", True), bool):
        raise DatasetError(f"{path}: 'directed' must be true or false")
    return meta


def _edges(path: Path, n: int) -> tuple[IntArray, IntArray]:
    if not path.is_file():
        raise DatasetError(f"{path.parent}: missing edges.tsv")
    text = _read_lines(path)
    lines = [line for line in text if line.strip()]
    flat = " ".join(lines).split()
    ok = len(flat) == 2 * len(lines) and all(line.count("\t") == 1 for line in lines)
    if ok:
        try:
            pairs = np.array(flat, dtype=np.int64).reshape(-1, 2)
        except ValueError:
            ok = False
    if not ok:  # slow path only to name the offending line
        for number, line in enumerate(text, 1):
            if line.strip():
                parts = line.split("\t")
                if len(parts) != 2:
                    raise DatasetError(f"{path}:{number}: expected 'follower<TAB>followee'")
                for part in parts:
                    _node(part.strip(), n, f"{path}:{number}")
        raise DatasetError(f"{path}: malformed")
    bad = np.flatnonzero((pairs < 0).any(axis=1) | (pairs >= n).any(axis=1))
    if len(bad):
        row = int(bad[0])
        number = text.index(lines[row]) + 1
        raise DatasetError(f"{path}:{number}: node id out of range 0..{n - 1}")
    return pairs[:, 0].copy(), pairs[:, 1].copy()


def _profiles(path: Path, n: int) -> sp.csr_matrix:
    rows: list[int] = []
    cols: list[int] = []
    vocab: dict[str, int] = {}
    if path.is_file():
        for number, line in enumerate(_read_lines(path), 1):
            if not line.strip():
                continue
            node_text, _, tokens = line.partition("\t")
            node = _node(node_text.strip(), n, f"{path}:{number}")
            for token in tokens.split():
                rows.append(node)
                cols.append(vocab.setdefault(token, len(vocab)))
    shape = (n, max(1, len(vocab)))
    return binary_csr(np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64), shape)


def _lists(path: Path, n: int) -> tuple[ListRow, ...]:
    out: list[ListRow] = []
    if not path.is_file():
        return ()
    for number, line in enumerate(_read_lines(path), 1):
        if not line.strip():
            continue
        parts = line.split("\t")
        where = f"{path}:{number}"
        if len(parts) != 3:
            raise DatasetError(f"{where}: expected 'owner<TAB>list_id<TAB>members'")
        owner = _node(parts[0].strip(), n, where)
        members = np.unique(np.array([_node(m, n, where) for m in parts[2].split()], np.int64))
        out.append(ListRow(owner, parts[1], members))
    return tuple(out)


def load_dataset(folder: str | Path) -> Dataset:
    """Read a dataset folder. Raises DatasetError on any missing or malformed input."""
    root = Path(folder)
    if not root.is_dir():
        raise DatasetError(f"{root}: not a directory")
    meta = _meta(root)
    n = int(meta["nodes"])  # type: ignore[call-overload]
    src, dst = _edges(root / "edges.tsv", n)
    keep = src != dst  # a self-follow carries no signal
    follows = binary_csr(src[keep], dst[keep], (n, n))
    return Dataset(
        name=str(meta.get("name", root.name)),
        directed=bool(meta.get("directed", True)),
        follows=follows,
        profiles=_profiles(root / "profiles.tsv", n),
        lists=_lists(root / "lists.tsv", n),
    )


def read_queries(path: str | Path, n: int) -> IntArray:
    """Read a queries file (one node id per line). Raises DatasetError if empty or invalid."""
    file = Path(path)
    if not file.is_file():
        raise DatasetError(f"{file}: queries file not found")
    ids = [
        _node(line.strip(), n, f"{file}:{number}")
        for number, line in enumerate(_read_lines(file), 1)
        if line.strip()
    ]
    if not ids:
        raise DatasetError(f"{file}: the queries file is empty")
    return np.array(ids, dtype=np.int64)
