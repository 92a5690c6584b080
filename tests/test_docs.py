"""Docs drift unless tests hold them: every setting, periodic job and API route is documented."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _all_docs() -> str:
    texts = [path.read_text() for path in DOCS.rglob("*.md")]
    texts.append((ROOT / "README.md").read_text())
    return "\n".join(texts)


def test_every_setting_read_from_the_environment_is_in_the_settings_reference():
    source = (ROOT / "staffroom/config/settings/base.py").read_text()
    names = set(re.findall(r'env_(?:str|int|bool|list)\(\s*"([A-Z0-9_]+)"', source))
    names.add("SECRET_KEY")
    reference = (DOCS / "admin/settings.md").read_text()
    assert len(names) > 30
    assert sorted(name for name in names if f"`{name}`" not in reference) == []


def test_every_periodic_job_is_documented():
    from staffroom.core.scheduler import periodic_discover, periodic_list

    periodic_discover()
    docs = _all_docs()
    names = [entry.name for entry in periodic_list()]
    assert names
    assert [name for name in names if name not in docs] == []


@pytest.mark.django_db
def test_every_api_route_is_documented():
    from staffroom.config.api import api

    docs = _all_docs()
    paths = [re.sub(r"\{[^}]+\}", ":id", path) for path in api.get_openapi_schema()["paths"]]
    missing = [path for path in paths if path not in docs and path.removeprefix("/api") not in docs]
    assert missing == []
