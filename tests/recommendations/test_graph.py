import pytest

from staffroom.recommendations.engine.graph import DatasetError, load_dataset, read_queries


def test_load_dataset_reads_edges_profiles_and_lists(tiny):
    data = load_dataset(tiny)
    assert data.n == 8
    assert data.directed
    assert data.follows[0, 1] == 1
    assert data.follows[1, 0] == 0
    assert data.follows.nnz == 11
    assert data.profiles[0].nnz == 3
    assert [row.list_id for row in data.lists] == ["maths", "mine"]


def test_load_dataset_without_optional_files(tiny):
    (tiny / "profiles.tsv").unlink()
    (tiny / "lists.tsv").unlink()
    data = load_dataset(tiny)
    assert data.profiles.nnz == 0
    assert data.lists == ()


@pytest.mark.parametrize(
    ("edges", "message"),
    [
        ("0\t1\n1\tx\n", "not an integer"),
        ("0\t1\n1\t2\t3\n", ":2: expected"),
        ("0\t1\n3 4\n", ":2: expected"),
        ("0\t1\n0\t99\n", "out of range"),
        ("0\t-1\n", "out of range"),
    ],
)
def test_load_dataset_rejects_malformed_edges(tiny, edges, message):
    (tiny / "edges.tsv").write_text(edges)
    with pytest.raises(DatasetError, match=message):
        load_dataset(tiny)


def test_load_dataset_rejects_missing_meta(tiny):
    (tiny / "meta.json").unlink()
    with pytest.raises(DatasetError, match=r"missing meta\.json"):
        load_dataset(tiny)


def test_load_dataset_rejects_list_member_out_of_range(tiny):
    (tiny / "lists.tsv").write_text("0\tl\t1 42\n")
    with pytest.raises(DatasetError, match="out of range"):
        load_dataset(tiny)


def test_read_queries_rejects_empty_and_unknown_ids(tmp_path):
    empty = tmp_path / "q.txt"
    empty.write_text("\n")
    with pytest.raises(DatasetError, match="empty"):
        read_queries(empty, 8)
    unknown = tmp_path / "u.txt"
    unknown.write_text("3\n8\n")
    with pytest.raises(DatasetError, match="out of range"):
        read_queries(unknown, 8)
