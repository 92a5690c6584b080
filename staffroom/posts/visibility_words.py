"""Our visibilities in Mastodon's words: followers and connections are both `private` there
(`pln.visibility` tells them apart). Its own module so the Account entity (which the Status
entity builds on) can name a default visibility without importing the Status entity."""

from __future__ import annotations

from staffroom.posts.models import Visibility

MASTODON_VISIBILITY = {
    Visibility.PUBLIC: "public",
    Visibility.UNLISTED: "unlisted",
    Visibility.FOLLOWERS: "private",
    Visibility.CONNECTIONS: "private",
    Visibility.DIRECT: "direct",
}
