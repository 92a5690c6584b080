"""Mastodon's stream names: what a client may ask for, and the routing keys each one means.

A stream is asked for by name (`user`, `hashtag`, ...) with parameters (`tag`, `list`,
`only_media`), on the WebSocket (`stream=` or a subscribe message) or by the server-sent
events path (`/api/v1/streaming/public/local?only_media=true`). `resolve_stream` checks the
viewer's token for it, as Mastodon's streaming server does, and gives the `Subscription`:
the name the client sees in each WebSocket message and the keys to listen to.

Errors are Mastodon's: 400 for a request that names no stream or lacks its parameter, 401
for a token without the scope or a list that is not the viewer's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from staffroom.core.api.scopes import scopes_allow
from staffroom.core.hashtags import normalize_tag
from staffroom.core.ids import ascii_digits
from staffroom.graph.models import PurposeList
from staffroom.streaming import routing

# Streams that need no scope (any valid token reads them), as on Mastodon.
PUBLIC_STREAMS = frozenset(
    {
        "public", "public:media", "public:local", "public:local:media", "public:remote",
        "public:remote:media", "hashtag", "hashtag:local",
    }
)  # fmt: skip
STREAMS = PUBLIC_STREAMS | {"user", "user:notification", "list", "direct"}

# The server-sent events paths under /api/v1/streaming and the stream each one is.
SSE_PATHS = {
    "user": "user",
    "user/notification": "user:notification",
    "public": "public",
    "public/local": "public:local",
    "public/remote": "public:remote",
    "hashtag": "hashtag",
    "hashtag/local": "hashtag:local",
    "list": "list",
    "direct": "direct",
}
TAG_MAX_LENGTH = 200
TRUTHY = frozenset({"1", "true", "t", "yes", "on"})


class StreamError(Exception):
    """A stream that cannot be given: `status` and `message` as Mastodon answers them."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Viewer:
    """Who a connection streams for: the account, the scopes its token grants, and the
    token (None for the web UI's session cookie, which has every read scope)."""

    account_id: int
    scopes: frozenset[str]
    token_id: int | None = None
    session_key: str | None = None

    def may(self, scope: str) -> bool:
        return scopes_allow(self.scopes, scope)


@dataclass(frozen=True)
class Subscription:
    """One stream a connection listens to: `name` as WebSocket messages carry it
    (`["hashtag", "edchat"]`), `keys` as events are published (routing.py)."""

    name: tuple[str, ...]
    keys: frozenset[str]


def stream_for_path(rest: str, params: Mapping[str, str]) -> str | None:
    """The stream a server-sent events path names (`rest` is what follows
    `/api/v1/streaming/`), with `only_media` applied to the public ones; None if none."""
    name = SSE_PATHS.get(rest.strip("/"))
    if name is not None and name.startswith("public") and is_truthy(params.get("only_media")):
        name = f"{name}:media"
    return name


def is_truthy(value: str | None) -> bool:
    return value is not None and value.strip().lower() in TRUTHY


def check_scopes(viewer: Viewer, name: str) -> None:
    """Mastodon's rule: public streams need no scope; `user:notification` needs `read` or
    `read:notifications`; every other stream `read` or `read:statuses`."""
    if name in PUBLIC_STREAMS:
        return
    needed = "read:notifications" if name == "user:notification" else "read:statuses"
    if not viewer.may(needed):
        raise StreamError(401, "Access token does not have the required scopes")


def resolve_stream(name: str | None, params: Mapping[str, str], viewer: Viewer) -> Subscription:
    """The subscription for stream `name` with `params`, for `viewer`, or StreamError.
    Reads the database only for a list (is it the viewer's?): call it from a thread."""
    if not name or name not in STREAMS:
        raise StreamError(400, "Unknown stream type")
    check_scopes(viewer, name)
    account = viewer.account_id
    if name == "user":
        keys = {routing.user_key(account), routing.ANNOUNCEMENTS_KEY}
        if viewer.may("read:notifications"):
            keys.add(routing.notification_key(account))
        return Subscription(("user",), frozenset(keys))
    if name == "user:notification":
        return Subscription((name,), frozenset({routing.notification_key(account)}))
    if name == "direct":
        return Subscription((name,), frozenset({routing.direct_key(account)}))
    if name in ("hashtag", "hashtag:local"):
        return _hashtag(name, params.get("tag"))
    if name == "list":
        return _list(params.get("list"), account)
    media = name.endswith(":media")
    base = name.removesuffix(":media")
    key = routing.public_key(
        local=base == "public:local", remote=base == "public:remote", media=media
    )
    return Subscription((name,), frozenset({key}))


def _hashtag(name: str, tag: str | None) -> Subscription:
    tag = (tag or "").strip().removeprefix("#")
    if not tag:
        raise StreamError(400, "Missing tag name parameter")
    normalized = normalize_tag(tag[:TAG_MAX_LENGTH])
    if not normalized:
        raise StreamError(400, "Invalid tag name parameter")
    key = routing.hashtag_key(normalized, local=name == "hashtag:local")
    return Subscription((name, tag), frozenset({key}))


def _list(raw: str | None, account_id: int) -> Subscription:
    if not raw:
        raise StreamError(400, "Missing list name parameter")
    list_id = int(raw) if ascii_digits(raw) and int(raw) < 2**63 else None
    if list_id is None or not PurposeList.objects.filter(pk=list_id, owner_id=account_id).exists():
        raise StreamError(401, "Not authorized to stream this list")
    return Subscription(("list", raw), frozenset({routing.list_key(list_id)}))
