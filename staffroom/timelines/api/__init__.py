"""The timelines' JSON API: Mastodon's timelines (home, list, public, hashtag) and markers.

Routes are thin: each reads one selector of `staffroom.timelines.selectors` (or calls one
service) and answers Mastodon entities built by `staffroom.posts.entities`."""

from staffroom.timelines.api.markers import router as markers_router
from staffroom.timelines.api.timelines import router as timelines_router

__all__ = ["markers_router", "timelines_router"]
