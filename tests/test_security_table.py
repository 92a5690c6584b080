"""docs/security.md, the security plan's coverage table, is generated from the tests that cite
the plan and cannot drift: every cited id is one the plan has, every id is covered or
explained, and the committed copy of the plan's ids matches the plan where it is found."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
COMMAND = (
    "STAFFROOM_SECURITY_PLAN=../shared/SECURITY-PLAN.md .venv/bin/python scripts/security_table.py"
)


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "security_table", ROOT / "scripts/security_table.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look the module up by name while the class is made.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


script = _script()

PLAN_EXCERPT = """\
## (a) Anchors

**F-99 Not an item: part (a) is only anchors**

## (b) Test plan

### F — Federation

**F-1 Unsigned or invalid-signature inbox POST** (Takahe pattern).
- Attack: a paragraph that follows the title.

**A-1 `check --deploy` gate.**

**A-12 (If SSO is added)** (GHSA-vm39). A new external identity never auto-attaches.

### C — CI gates

- **C-1** `manage.py check --deploy` with production settings (A-1); `makemigrations --check`.

## (c) Recommended libraries

**Z-9 Not an item either**
"""

CITING_MODULE = '''\
"""Privacy (SECURITY-PLAN P-3)."""


def test_one():
    """Blocks and existence (SECURITY-PLAN P-3, P-8 and
    A-7)."""


def helper():
    """Shared by tests (SECURITY-PLAN H-1)."""


class TestGroup:
    """SECURITY-PLAN U-4."""

    def test_inside(self):
        """SECURITY-PLAN H-2/H-4."""


def test_not_citing():
    """Mentions P-3 without the plan's name, and SHA-256."""
'''


def test_security_doc_is_what_the_script_generates():
    items = script.current_items()
    assert script.TABLE_DOC.read_text() == script.render(items, script.suite_citations()), (
        f"docs/security.md is out of date: run {COMMAND}"
    )


def test_the_ids_snapshot_matches_the_plan_where_the_plan_is_found():
    path = script.plan_path()
    if path is None:
        pytest.skip("SECURITY-PLAN.md is not beside this checkout; the snapshot stands in")
    expected = script.render_snapshot(script.plan_items(path.read_text(encoding="utf-8")))
    assert script.IDS_SNAPSHOT.read_text() == expected, (
        f"docs/security-plan-ids.txt is out of date with {path}: run {COMMAND}"
    )


def test_the_snapshot_holds_every_section_of_the_plan():
    items = script.read_snapshot(script.IDS_SNAPSHOT.read_text())
    sections = {item.rsplit("-", 1)[0] for item in items}
    assert sections == {"F", "P", "H", "S", "U", "A", "R", "D", "Q", "DB", "L", "Z", "I", "C"}
    assert all(title for title in items.values())


def test_every_cited_id_is_in_the_plan_and_every_id_is_covered_or_explained():
    problems = script.problems(script.current_items(), script.suite_citations())
    assert problems == [], "\n".join(problems)


def test_citations_outside_the_tests_name_ids_the_plan_has():
    items = script.current_items()
    unknown: list[str] = []
    for path in [*ROOT.joinpath("staffroom").rglob("*.py"), *ROOT.joinpath("docs").rglob("*.md")]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            unknown.extend(
                f"{path.relative_to(ROOT)}:{number} cites {item}"
                for item in script.citations_in_text(line)
                if item not in items
            )
    assert unknown == []


def test_plan_items_reads_part_b_paragraphs_and_list_entries_only():
    assert script.plan_items(PLAN_EXCERPT) == {
        "F-1": "Unsigned or invalid-signature inbox POST",
        "A-1": "`check --deploy` gate",
        "A-12": "(If SSO is added)",
        "C-1": "`manage.py check --deploy` with production settings (A-1)",
    }


def test_an_id_listed_twice_in_the_plan_is_an_error():
    with pytest.raises(ValueError, match="F-1 twice"):
        script.plan_items(PLAN_EXCERPT.replace("**A-1 ", "**F-1 "))


def test_citations_are_read_from_module_class_and_function_docstrings():
    found = script.citations_in_source(CITING_MODULE, "tests/x/test_y.py")
    assert [(citation.item, citation.target) for citation in found] == [
        ("P-3", ""),
        ("P-3", "test_one"),
        ("P-8", "test_one"),
        ("A-7", "test_one"),
        ("H-1", "helper"),
        ("U-4", "TestGroup"),
        ("H-2", "TestGroup::test_inside"),
        ("H-4", "TestGroup::test_inside"),
    ]


def test_only_test_modules_classes_and_functions_count_as_covering():
    found = script.citations_in_source(CITING_MODULE, "tests/x/test_y.py")
    found += script.citations_in_source('"""SECURITY-PLAN H-1."""', "tests/x/corpus.py")
    labels = {
        item: [citation.label for citation in citations]
        for item, citations in script.covering(found).items()
    }
    assert labels == {
        "P-3": ["tests/x/test_y.py", "tests/x/test_y.py::test_one"],
        "P-8": ["tests/x/test_y.py::test_one"],
        "A-7": ["tests/x/test_y.py::test_one"],
        "U-4": ["tests/x/test_y.py::TestGroup"],
        "H-2": ["tests/x/test_y.py::TestGroup::test_inside"],
        "H-4": ["tests/x/test_y.py::TestGroup::test_inside"],
    }


def test_problems_name_unknown_ids_unexplained_ids_and_stale_explanations():
    items = {"P-1": "One", "P-2": "Two", "P-3": "Three", "P-4": "Four"}
    citations = [
        script.Citation("P-1", "tests/test_a.py", "test_x", 3),
        script.Citation("P-9", "tests/test_a.py", "test_y", 7),
        script.Citation("P-3", "tests/test_a.py", "test_z", 9),
    ]
    found = script.problems(
        items,
        citations,
        partly={"P-4": "half"},
        notes={},
        uncovered={"P-3": "not yet: later", "P-4": "someday", "X-1": "not yet: never"},
    )
    assert found == [
        "tests/test_a.py:7 cites P-9, which the plan does not have",
        "P-2 is neither cited by a test nor explained in UNCOVERED (scripts/security_table.py)",
        "P-3 is cited by tests/test_a.py::test_z: drop its UNCOVERED entry "
        "(scripts/security_table.py)",
        "P-4 is in PARTLY but no test cites it",
        'UNCOVERED[\'P-4\'] must start with one of "in CI:", "not yet:", "does not apply:"',
        "UNCOVERED in scripts/security_table.py names X-1, which the plan does not have",
    ]


def test_the_table_gives_each_id_its_status_tests_and_note():
    items = {"P-1": "Followers | pending", "P-2": "DMs", "A-12": "SSO", "C-1": "Deploy"}
    citations = [
        script.Citation("P-1", "tests/posts/test_a.py", "test_x", 3),
        script.Citation("P-2", "tests/posts/test_b.py", "", 1),
    ]
    table = script.render(
        items,
        citations,
        partly={"P-2": "local side"},
        notes={},
        uncovered={"A-12": "does not apply: no SSO", "C-1": "in CI: .ci/run"},
    )
    rows = [line for line in table.splitlines() if re.match(r"\| [A-Z]+-\d", line)]
    assert rows == [
        "| P-1 | Followers \\| pending | [tests/posts/test_a.py::test_x](../tests/posts/test_a.py)"
        " | covered |  |",
        "| P-2 | DMs | [tests/posts/test_b.py](../tests/posts/test_b.py) | partly | local side |",
        "| A-12 | SSO |  | does not apply | no SSO |",
        "| C-1 | Deploy |  | in CI | .ci/run |",
    ]
    assert "Today: 1 covered, 1 partly, 1 in CI, 1 does not apply." in table
