"""The social graph's JSON API: Mastodon's routes for follows, blocks, mutes, follow
requests and lists, and the PLN ones (connections, purposes) under `/api/v1/pln/`.

Each route resolves its target through the profile selectors, calls one service or selector
and answers a Mastodon entity (`staffroom.graph.schemas`); domain exceptions become
Mastodon errors through the API's handlers.
"""

from staffroom.graph.api.accounts import router as accounts_router
from staffroom.graph.api.endorse import endorsements_router
from staffroom.graph.api.endorse import router as endorse_router
from staffroom.graph.api.lists import router as lists_router
from staffroom.graph.api.pages import (
    blocks_router,
    domain_blocks_router,
    follow_requests_router,
    mutes_router,
)
from staffroom.graph.api.pln import router as pln_router

__all__ = [
    "accounts_router",
    "blocks_router",
    "domain_blocks_router",
    "endorse_router",
    "endorsements_router",
    "follow_requests_router",
    "lists_router",
    "mutes_router",
    "pln_router",
]
