"""Reads for the export page and API."""

from __future__ import annotations

from typing import TYPE_CHECKING

from staffroom.leaving.models import ExportRequest

if TYPE_CHECKING:
    from staffroom.accounts.models import User

EXPORT_LIST_MAX = 20


def export_list_for_user(*, user: User) -> list[ExportRequest]:
    """The user's most recent export requests, newest first (one query)."""
    return list(
        ExportRequest.objects.filter(user=user).order_by("-created_at", "-pk")[:EXPORT_LIST_MAX]
    )
