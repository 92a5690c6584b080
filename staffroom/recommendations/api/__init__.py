"""The suggestions' JSON API: Mastodon's `/api/v2/suggestions` and `/api/v1/suggestions`,
and the PLN routes under `/api/v1/pln/` (suggestions for a purpose, similar educators,
suggestions for a purpose list, starter packs).

Routes are thin: each calls one selector or service of `staffroom.recommendations` and
answers entities built in `entities.py`."""

from staffroom.recommendations.api.packs import router as packs_router
from staffroom.recommendations.api.suggestions import pln_router, v1_router, v2_router

__all__ = ["packs_router", "pln_router", "v1_router", "v2_router"]
