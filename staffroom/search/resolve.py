"""`resolve`: what an address or a URL typed into search points at, on this server.

Today only local things resolve (a profile's or a post's URL, or a bare address);
federation will extend this to fetch remote accounts and posts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from staffroom.profiles.uris import instance_base_url

_PROFILE_PATH = re.compile(r"/(?:@|users/)(?P<handle>[A-Za-z0-9_]{1,30})/?")
_POST_PATH = re.compile(
    r"/(?:@|users/)(?P<handle>[A-Za-z0-9_]{1,30})/(?:statuses/)?(?P<id>[0-9]{1,19})/?"
)


@dataclass(frozen=True)
class LocalTarget:
    handle: str
    status_id: int | None = None


def local_target(text: str) -> LocalTarget | None:
    """The local profile or post `text` is the URL of, or None."""
    base = instance_base_url()
    if not text.startswith(base + "/"):
        return None
    path = text[len(base) :].split("?", 1)[0].split("#", 1)[0]
    if (post := _POST_PATH.fullmatch(path)) is not None:
        return LocalTarget(post["handle"], int(post["id"]))
    if (profile := _PROFILE_PATH.fullmatch(path)) is not None:
        return LocalTarget(profile["handle"])
    return None
