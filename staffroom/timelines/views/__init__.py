"""Feed pages (a package: the shared feed drawing, the feeds, the feed settings).

Each view checks its input, calls the timelines selectors, and renders; a purpose list
that is not the teacher's is a 404 like one that never existed.
"""

from staffroom.timelines.views.feeds import (
    feeds_index,
    home_feed,
    home_new,
    list_feed,
    list_feed_new,
    local_feed,
    local_feed_new,
    tag_feed_new,
)
from staffroom.timelines.views.settings import feed_settings

__all__ = [
    "feed_settings",
    "feeds_index",
    "home_feed",
    "home_new",
    "list_feed",
    "list_feed_new",
    "local_feed",
    "local_feed_new",
    "tag_feed_new",
]
