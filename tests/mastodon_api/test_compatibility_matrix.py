"""docs/api/routes.md is generated from the routes the server answers and cannot drift; every
route a mainstream Mastodon app needs is served (or says why not); every Mastodon route the
server answers is catalogued."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from staffroom.config.api import api
from staffroom.mastodon_api.catalogue import MASTODON_ROUTES, MastodonRoute
from staffroom.mastodon_api.compatibility import matrix, openapi_routes, render, served_routes

ROOT = Path(__file__).resolve().parents[2]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "compat_matrix", ROOT / "scripts/compat_matrix.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_routes_doc_is_what_the_script_generates_from_the_served_routes():
    script = _script()
    assert script.ROUTES_DOC.read_text() == script.generated(), (
        "docs/api/routes.md is out of date: run .venv/bin/python scripts/compat_matrix.py"
    )


def test_every_mainstream_route_is_served_or_says_why_not():
    schema = api.get_openapi_schema()
    served = served_routes(schema, lambda path: True)
    missing = [
        f"{row.route.method} {row.route.path}"
        for row in matrix(served)
        if row.route.mainstream and not row.served and not row.route.note
    ]
    assert not missing, missing


def test_every_mastodon_route_the_api_serves_is_catalogued():
    catalogued = {(route.method, route.path) for route in MASTODON_ROUTES}
    mastodon_routes = {
        (method, path)
        for method, path in openapi_routes(api.get_openapi_schema())
        if not path.startswith("/api/v1/pln")
    }
    assert not sorted(mastodon_routes - catalogued)


def test_a_route_missing_from_the_server_shows_as_not_served():
    route = MastodonRoute(method="GET", path="/api/v1/polls/{}", area="polls", note="")
    row = next(r for r in matrix(set()) if r.route == route)
    assert not row.served
    assert "| `GET /api/v1/polls/{}` | no |  |" in render([row])


def test_catalogue_has_each_route_once():
    signatures = [(route.method, route.path) for route in MASTODON_ROUTES]
    assert len(signatures) == len(set(signatures))
