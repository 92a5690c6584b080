"""The posts' JSON API: Mastodon's status routes, an account's statuses, bookmarks and
favourites. Each route resolves the post through `posts.selectors` (so a hidden post is a
404 like an unknown one), calls one service or selector and answers Mastodon entities
built by `staffroom.posts.entities`."""

from staffroom.posts.api.accounts import router as accounts_router
from staffroom.posts.api.actions import router as actions_router
from staffroom.posts.api.marks import bookmarks_router, favourites_router
from staffroom.posts.api.oembed import router as oembed_router
from staffroom.posts.api.statuses import router as statuses_router

__all__ = [
    "accounts_router",
    "actions_router",
    "bookmarks_router",
    "favourites_router",
    "oembed_router",
    "statuses_router",
]
