"""Handle rules: what a teacher may call themselves (the `@handle` in their address)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HANDLE_MAX_LENGTH = 30
HANDLE_PATTERN = re.compile(r"^[A-Za-z0-9_]{1,30}\Z")

# Words that would confuse people or collide with paths and roles. Compared case-insensitively.
RESERVED_HANDLES = frozenset(
    {
        "about", "abuse", "account", "accounts", "activitypub", "admin", "administrator",
        "api", "apps", "auth", "contact", "directory", "explore", "feed",
        "feeds", "groups", "healthz", "help", "hostmaster", "inbox", "instance", "join",
        "login", "logout", "mail", "media", "moderator", "mod", "nodeinfo", "noreply",
        "no_reply", "notifications", "oauth", "outbox", "owner", "pln", "postmaster",
        "privacy", "profile", "root", "security", "settings", "signin", "signup", "static",
        "staff", "staffroom", "status", "statuses", "support", "system", "terms", "users",
        "webfinger", "webmaster", "well_known", "www",
    }
)  # fmt: skip


def normalize_handle(handle: str) -> str:
    """The form used for uniqueness and lookups: handles are unique case-insensitively."""
    return handle.strip().lower()


def validate_handle_format(handle: str) -> None:
    """Raise ValidationError unless `handle` is 1-30 letters, digits or underscores."""
    if not HANDLE_PATTERN.match(handle):
        raise ValidationError(
            _("A handle is 1 to 30 characters: letters, digits and underscores only."),
            code="handle_format",
        )
    if normalize_handle(handle) in RESERVED_HANDLES:
        raise ValidationError(
            _("The handle “%(handle)s” is reserved. Please choose another."),
            code="handle_reserved",
            params={"handle": handle},
        )
