"""The filters' export part: `filters.json`, a teacher's filters with their keywords and
filtered posts (Mastodon's export has no filters file; docs/subsystems/filters.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from staffroom.filters.selectors import filters_of
from staffroom.leaving.export import ExportWriter, export_part
from staffroom.profiles.models import Profile

if TYPE_CHECKING:
    from staffroom.accounts.models import User


@export_part(name="filters", version=1, order=116)
def filters_export(user: User, writer: ExportWriter) -> None:
    """`filters.json`: `[{title, context, filter_action, expires_at, created_at, keywords:
    [{keyword, whole_word}], status_ids}]`, oldest first."""
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return
    writer.write_json(
        "filters.json",
        [
            {
                "title": item.title,
                "context": list(item.context),
                "filter_action": item.action,
                "expires_at": item.expires_at,
                "created_at": item.created_at,
                "keywords": [
                    {"keyword": keyword.keyword, "whole_word": keyword.whole_word}
                    for keyword in item.keywords.all()
                ],
                "status_ids": [str(row.status_id) for row in item.statuses.all()],
            }
            for item in filters_of(profile)
        ],
    )
