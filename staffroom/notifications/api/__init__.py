"""The notifications' JSON API: Mastodon's `/api/v1/notifications` (one notification per
entry) and `/api/v2/notifications` (grouped, Mastodon 4.3), the notification policy and
requests (Mastodon 4.3's filtering), and the PLN preferences and away summary under
`/api/v1/pln/notifications/`.

Routes are thin: each reads one selector of `staffroom.notifications.selectors` (or calls
one service) and answers entities built in `entities.py`, whose pages cost the same
queries whatever their length.

Order matters: django-ninja mounts a router's own routes, then its children in the order
added. `v1_router` has the list itself, then `/requests...` and `/policy`, and only then
the routes whose `/{id}` would otherwise read `requests` or `policy` as an id; `v2_router`
likewise puts `/policy` before `/{group_key}`."""

from staffroom.notifications.api import policy, requests, v1, v2
from staffroom.notifications.api.pln import router as pln_router

v1_router = v1.router
v1_router.add_router("/requests", requests.router)
v1_router.add_router("/policy", policy.v1_router)
v1_router.add_router("", v1.more_router)

v2_router = v2.router
v2_router.add_router("/policy", policy.v2_router)
v2_router.add_router("", v2.more_router)

__all__ = ["pln_router", "v1_router", "v2_router"]
