"""The announcements' export part: `announcements.json`, which announcements a teacher
dismissed and how they reacted (docs/subsystems/announcements.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from staffroom.announcements.models import AnnouncementReaction, AnnouncementRead
from staffroom.leaving.export import ExportWriter, export_part
from staffroom.profiles.models import Profile

if TYPE_CHECKING:
    from staffroom.accounts.models import User


@export_part(name="announcements", version=1, order=118)
def announcements_export(user: User, writer: ExportWriter) -> None:
    """`announcements.json`: `dismissed` `[{announcement_id, text, at}]` and `reactions`
    `[{announcement_id, name, at}]`, oldest first."""
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return
    reads = AnnouncementRead.objects.filter(account=profile).select_related("announcement")
    reactions = AnnouncementReaction.objects.filter(account=profile).order_by("id")
    writer.write_json(
        "announcements.json",
        {
            "dismissed": [
                {
                    "announcement_id": str(row.announcement_id),
                    "text": row.announcement.text,
                    "at": row.created_at,
                }
                for row in reads.order_by("id")
            ],
            "reactions": [
                {
                    "announcement_id": str(row.announcement_id),
                    "name": row.name,
                    "at": row.created_at,
                }
                for row in reactions
            ],
        },
    )
