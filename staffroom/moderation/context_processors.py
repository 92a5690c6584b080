"""The moderators' header link: "Moderation (N open)". Read only when a template asks for
it (a callable the template calls), so pages that do not show the header pay nothing, and
nobody but a moderator gets a query for it."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.http import HttpRequest

from staffroom.moderation.roles import is_admin, is_moderator
from staffroom.moderation.selectors import open_reports_count


def moderation(request: HttpRequest) -> dict[str, Any]:
    @cache
    def open_reports() -> int | None:
        """None for everyone but moderators (no link), else the open reports."""
        user = getattr(request, "user", None)
        if not is_moderator(user):
            return None
        return open_reports_count(user)

    def administers() -> bool:
        return is_admin(getattr(request, "user", None))

    opener: Callable[[], int | None] = open_reports
    return {"moderation_open": opener, "moderation_is_admin": administers}
