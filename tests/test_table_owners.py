"""One writer per table (DESIGN.md): only the app that owns a model writes its rows; the
others call its services. Checked on the source: a write through another app's model
manager (`Other.objects....update()/delete()/create()/...`) fails this test."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "staffroom"
WRITES = frozenset(
    {
        "update",
        "delete",
        "create",
        "bulk_create",
        "bulk_update",
        "get_or_create",
        "update_or_create",
    }
)


def _foreign_models(tree: ast.AST, app: str) -> dict[str, str]:
    """Names imported from another app's `models` module, with the owning app."""
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("staffroom."):
            module = node.module or ""
            owner = module.split(".")[1]
            if module.endswith(".models") and owner != app:
                found.update({alias.asname or alias.name: owner for alias in node.names})
    return found


def _manager_root(call: ast.Call) -> str | None:
    """`Model` for a call chained from `Model.objects` (or `_default_manager`)."""
    node: ast.AST = call.func
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            if node.attr in ("objects", "_default_manager") and isinstance(node.value, ast.Name):
                return node.value.id
            node = node.value
        else:
            return None


def writes_to_other_apps_tables(path: Path, app: str) -> list[tuple[int, str, str, str]]:
    """(line, model, write, owning app) for each write through another app's manager."""
    tree = ast.parse(path.read_text())
    foreign = _foreign_models(tree, app)
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in WRITES
        ):
            model = _manager_root(node)
            if model in foreign:
                found.append((node.lineno, model, node.func.attr, foreign[model]))
    return found


def test_no_app_writes_a_table_of_another_app():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) < 2 or "migrations" in parts:
            continue
        found += [
            f"{path.relative_to(PACKAGE)}:{line} {model}.{write} ({owner})"
            for line, model, write, owner in writes_to_other_apps_tables(path, parts[0])
        ]
    assert found == []


def test_the_check_finds_a_write_through_another_apps_manager(tmp_path):
    source = tmp_path / "services.py"
    source.write_text(
        "from staffroom.timelines.models import FeedEntry\n"
        "def f():\n"
        "    FeedEntry.objects.filter(owner_id=1).delete()\n"
    )
    assert writes_to_other_apps_tables(source, "moderation") == [
        (3, "FeedEntry", "delete", "timelines")
    ]
    assert writes_to_other_apps_tables(source, "timelines") == []
