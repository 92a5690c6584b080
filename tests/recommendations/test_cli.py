import os
import subprocess
import sys
from pathlib import Path

import pytest

from staffroom.recommendations.cli import main


def _queries(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "queries.txt"
    path.write_text(text)
    return path


def _predict(tiny, queries, out, k="3"):
    return main(["predict", str(tiny), "--users", str(queries), "--k", k, "--out", str(out)])


def test_predict_writes_one_line_per_query_in_order(tiny, tmp_path):
    out = tmp_path / "recs.tsv"
    assert _predict(tiny, _queries(tmp_path, "3\n0\n"), out) == 0
    lines = out.read_text().splitlines()
    assert [line.split("\t")[0] for line in lines] == ["3", "0"]
    _user, ids = lines[1].split("\t")
    recs = [int(x) for x in ids.split(" ")]
    assert len(recs) == 3
    assert not {0, 1, 2, 3} & set(recs)
    assert [f.name for f in tmp_path.iterdir() if f.name.startswith(".")] == []


def test_predict_is_deterministic(tiny, tmp_path):
    queries = _queries(tmp_path, "0\n1\n2\n7\n")
    _predict(tiny, queries, tmp_path / "a.tsv")
    _predict(tiny, queries, tmp_path / "b.tsv")
    assert (tmp_path / "a.tsv").read_text() == (tmp_path / "b.tsv").read_text()


@pytest.mark.parametrize(
    ("breakage", "queries", "k", "message"),
    [
        ("edges", "0\n", "3", "expected 'follower<TAB>followee'"),
        ("range", "0\n", "3", "out of range"),
        ("meta", "0\n", "3", "missing meta.json"),
        (None, "", "3", "empty"),
        (None, "0\n99\n", "3", "out of range"),
        (None, "0\nabc\n", "3", "not an integer"),
    ],
)
def test_predict_bad_input_fails_cleanly(tiny, tmp_path, capsys, breakage, queries, k, message):
    if breakage == "edges":
        (tiny / "edges.tsv").write_text("0\t1\n1\t2\t3\n")
    elif breakage == "range":
        (tiny / "edges.tsv").write_text("0\t1\n1\t8\n")
    elif breakage == "meta":
        (tiny / "meta.json").unlink()
    out = tmp_path / "recs.tsv"
    assert _predict(tiny, _queries(tmp_path, queries), out, k) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["queries.txt", "tiny"]


def test_predict_rejects_k_zero(tiny, tmp_path, capsys):
    out = tmp_path / "recs.tsv"
    with pytest.raises(SystemExit) as exc:
        _predict(tiny, _queries(tmp_path, "0\n"), out, "0")
    assert exc.value.code == 2
    assert "must be at least 1" in capsys.readouterr().err
    assert not out.exists()


def test_predict_keeps_an_existing_output_on_failure(tiny, tmp_path):
    out = tmp_path / "recs.tsv"
    out.write_text("old\n")
    assert _predict(tiny, _queries(tmp_path, "42\n"), out) == 2
    assert out.read_text() == "old\n"


def test_evaluate_prints_engine_and_baselines(tiny, tmp_path, capsys):
    # every user with at least 5 follows: 0 follows five accounts here
    (tiny / "edges.tsv").write_text("0\t1\n0\t2\n0\t3\n0\t4\n0\t5\n1\t6\n2\t6\n")
    assert main(["evaluate", str(tiny), "--users", "5", "--json", "--model", "none"]) == 0
    out = capsys.readouterr().out
    assert '"engine"' in out
    for name in ("popularity", "adamic_adar", "rank_fusion", "profile_tfidf"):
        assert f'"{name}"' in out


def test_staffroom_recs_runs_without_django(tiny, tmp_path):
    """`staffroom recs` must not import Django or its settings (no secret key, no data folder)."""
    out = tmp_path / "recs.tsv"
    queries = _queries(tmp_path, "0\n")
    code = (
        "import sys\n"
        "from staffroom.cli import main\n"
        "try:\n"
        f"    main(['recs', 'predict', {str(tiny)!r}, '--users', {str(queries)!r},"
        f" '--k', '2', '--out', {str(out)!r}])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert len(out.read_text().split("\t")[1].split()) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["queries.txt", "recs.tsv", "tiny"]


def test_predict_reports_an_unwritable_output(tiny, tmp_path, capsys):
    folder = tmp_path / "recs.tsv"
    folder.mkdir()
    assert _predict(tiny, _queries(tmp_path, "0\n"), folder) == 2
    assert "staffroom recs: error:" in capsys.readouterr().err
    assert [p.name for p in folder.iterdir()] == []
