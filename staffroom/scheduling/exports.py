"""The scheduled posts' export part: `scheduled_posts.json`, the posts a teacher scheduled
and that are not published yet (docs/subsystems/scheduling.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from staffroom.leaving.export import ExportWriter, export_part
from staffroom.profiles.models import Profile
from staffroom.scheduling.models import ScheduledStatus

if TYPE_CHECKING:
    from staffroom.accounts.models import User


@export_part(name="scheduled_posts", version=1, order=205)
def scheduled_posts_export(user: User, writer: ExportWriter) -> None:
    """`scheduled_posts.json`: `[{id, scheduled_at, created_at, params}]`, the next to be
    published first; `params` as the API shows them, with our visibility word."""
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return
    rows = ScheduledStatus.objects.filter(account=profile).order_by("scheduled_at", "id")
    writer.write_json(
        "scheduled_posts.json",
        [
            {
                "id": str(row.pk),
                "scheduled_at": row.scheduled_at,
                "created_at": row.created_at,
                "params": row.params,
            }
            for row in rows
        ],
    )
