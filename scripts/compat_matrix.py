"""Write docs/api/routes.md, the generated compatibility matrix, from the routes the server
answers. Run after adding or removing a Mastodon route:

    .venv/bin/python scripts/compat_matrix.py

`tests/mastodon_api/test_compatibility_matrix.py` fails while the file is out of date.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROUTES_DOC = ROOT / "docs" / "api" / "routes.md"


def generated() -> str:
    """The document as the server's routes make it today (Django must be set up)."""
    from django.urls import Resolver404, resolve

    from staffroom.config.api import api
    from staffroom.mastodon_api.compatibility import matrix, render, served_routes

    def page_exists(path: str) -> bool:
        try:
            resolve(path)
        except Resolver404:
            return False
        return True

    return render(matrix(served_routes(api.get_openapi_schema(), page_exists)))


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "staffroom.config.settings.test")
    import django

    django.setup()
    ROUTES_DOC.write_text(generated())
    print(f"wrote {ROUTES_DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
