"""Imports inside functions are how import cycles get dodged: their number may only go down.

The layers themselves are import-linter's contracts (pyproject.toml, `lint-imports`). This
test counts the other sign of tangled modules: `import` statements inside a function or
method anywhere in `staffroom/` (migrations excepted: they are generated). A few are there
for good reasons (an AppConfig's `ready()`, the settings' PKCE callable, a command that must
start without Django), but each new one needs a reason the cap makes you write down.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "staffroom"

# Lower this when the count drops; never raise it (untangle the modules instead).
FUNCTION_LEVEL_IMPORTS_CAP = 38


class _FunctionImports(ast.NodeVisitor):
    def __init__(self) -> None:
        self.depth = 0
        self.lines: list[int] = []

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = _visit_function  # noqa: N815 - ast.NodeVisitor's naming
    visit_AsyncFunctionDef = _visit_function  # noqa: N815

    def _visit_import(self, node: ast.Import | ast.ImportFrom) -> None:
        if self.depth:
            self.lines.append(node.lineno)

    visit_Import = _visit_import  # noqa: N815
    visit_ImportFrom = _visit_import  # noqa: N815


def function_level_imports(source: str) -> list[int]:
    """Line numbers of the import statements inside function bodies (nested ones included)."""
    visitor = _FunctionImports()
    visitor.visit(ast.parse(source))
    return visitor.lines


def _found() -> list[str]:
    return [
        f"{path.relative_to(ROOT.parent)}:{line}"
        for path in sorted(ROOT.rglob("*.py"))
        if "migrations" not in path.parts
        for line in function_level_imports(path.read_text())
    ]


def test_function_level_imports_counts_only_imports_inside_functions():
    source = (
        "import os\n"
        "def f():\n"
        "    import json\n"
        "    def g():\n"
        "        from pathlib import Path\n"
        "class C:\n"
        "    import re\n"
        "    async def m(self):\n"
        "        import sys\n"
    )
    assert function_level_imports(source) == [3, 5, 9]


def test_imports_inside_functions_do_not_grow():
    found = _found()
    listing = "\n".join(found)
    assert len(found) <= FUNCTION_LEVEL_IMPORTS_CAP, (
        f"{len(found)} imports inside functions, the cap is {FUNCTION_LEVEL_IMPORTS_CAP}. "
        "Import at module level; if a cycle stops you, move the code to the layer it belongs "
        f"to (docs/development/architecture.md).\n{listing}"
    )
    assert len(found) == FUNCTION_LEVEL_IMPORTS_CAP, (
        f"Only {len(found)} imports inside functions now: lower FUNCTION_LEVEL_IMPORTS_CAP in "
        f"tests/test_architecture.py to {len(found)}, so the count never climbs back.\n{listing}"
    )
