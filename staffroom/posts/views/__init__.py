"""Pages of posts (a package: writing, reading a thread, the action bar, lists of posts).

Each view checks its input, calls one posts service or selector, and renders; every action
is a POST form that works without JavaScript, and with htmx the action bar swaps in place.
A post the viewer may not see is a 404 like one that never existed; domain errors show
their message with their status, and nothing is changed then.
"""

from staffroom.posts.views.actions import status_action
from staffroom.posts.views.compose import compose, status_delete_page, status_edit_page
from staffroom.posts.views.lists import bookmarks_list, profile_media, profile_posts, tag_detail
from staffroom.posts.views.thread import (
    status_detail,
    status_embed,
    status_favourites,
    status_history,
    status_reshares,
)

__all__ = [
    "bookmarks_list",
    "compose",
    "profile_media",
    "profile_posts",
    "status_action",
    "status_delete_page",
    "status_detail",
    "status_edit_page",
    "status_embed",
    "status_favourites",
    "status_history",
    "status_reshares",
    "tag_detail",
]
