"""Mastodon's OAuth scopes and their layering.

A token's scopes are what the teacher granted; a route names the one it needs. `read`
covers every `read:*`, `write` every `write:*`, the legacy `follow` covers reading and
writing follows, blocks and mutes, and `admin:read` covers `admin:read:*`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_noop as _

READ_SCOPES = (
    "accounts", "blocks", "bookmarks", "favourites", "filters", "follows", "lists", "mutes",
    "notifications", "search", "statuses",
)  # fmt: skip
WRITE_SCOPES = (
    "accounts", "blocks", "bookmarks", "conversations", "favourites", "filters", "follows",
    "lists", "media", "mutes", "notifications", "reports", "statuses",
)  # fmt: skip
ADMIN_SCOPES = (
    "accounts", "reports", "domain_allows", "domain_blocks", "ip_blocks",
    "email_domain_blocks", "canonical_email_blocks",
)  # fmt: skip
FOLLOW_COVERS = frozenset(
    {"read:follows", "write:follows", "read:blocks", "write:blocks", "read:mutes", "write:mutes"}
)
TOP_LEVEL = ("read", "write", "follow", "push", "profile", "admin:read", "admin:write")

# Descriptions are marked for translation and translated where they are shown (the consent
# page): settings import this module before translations are ready.
ALL_SCOPES: dict[str, str] = {
    "read": _("Read all your account's data"),
    "write": _("Change all your account's data"),
    "follow": _("Follow, block and mute accounts"),
    "push": _("Receive push notifications"),
    "profile": _("Read only your own profile"),
    "admin:read": _("Read all data on the server (administrators)"),
    "admin:write": _("Moderate the server (administrators)"),
    **{f"read:{name}": f"Read your {name.replace('_', ' ')}" for name in READ_SCOPES},
    **{f"write:{name}": f"Change your {name.replace('_', ' ')}" for name in WRITE_SCOPES},
    **{f"admin:read:{name}": f"admin read {name}" for name in ADMIN_SCOPES},
    **{f"admin:write:{name}": f"admin write {name}" for name in ADMIN_SCOPES},
}


def parse_scopes(raw: str | Iterable[str] | None) -> list[str]:
    """Split a space- (or plus-) separated scope string; keep order, drop duplicates."""
    if raw is None:
        return []
    parts = raw.replace("+", " ").split() if isinstance(raw, str) else list(raw)
    return list(dict.fromkeys(part.strip() for part in parts if part.strip()))


def unknown_scopes(scopes: Iterable[str]) -> list[str]:
    return [scope for scope in scopes if scope not in ALL_SCOPES]


def scope_covers(granted: str, required: str) -> bool:
    """True when holding `granted` allows what `required` protects."""
    if granted == required:
        return True
    if granted in {"read", "write", "admin:read", "admin:write"}:
        return required.startswith(granted + ":")
    return granted == "follow" and required in FOLLOW_COVERS


def scopes_allow(granted: Iterable[str], required: str) -> bool:
    return any(scope_covers(scope, required) for scope in granted)


def scopes_within(requested: Iterable[str], allowed: Iterable[str]) -> bool:
    """Every requested scope is covered by one the application registered."""
    allowed_list = list(allowed)
    return all(scopes_allow(allowed_list, scope) for scope in requested)
