"""The notifications' JSON API: Mastodon's `/api/v1/notifications` (one notification per
entry) and `/api/v2/notifications` (grouped, Mastodon 4.3), and the PLN preferences and
away summary under `/api/v1/pln/notifications/`.

Routes are thin: each reads one selector of `staffroom.notifications.selectors` (or calls
one service) and answers entities built in `entities.py`, whose pages cost the same
queries whatever their length."""

from staffroom.notifications.api.pln import router as pln_router
from staffroom.notifications.api.v1 import router as v1_router
from staffroom.notifications.api.v2 import router as v2_router

__all__ = ["pln_router", "v1_router", "v2_router"]
