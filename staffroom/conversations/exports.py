"""The conversations export part: `conversations.json`, the teacher's threads of direct
posts as their Conversations page shows them.

- `conversations`, newest last post first: `thread_id` (the id of the thread's first
  post), `last_status_id` (the newest post of it the teacher may see; the posts
  themselves are in the posts part's files when they are the teacher's own), `unread`,
  and `participants` (the other people, as `handle@domain` addresses like the graph's
  files).

Only what the page would show is written: rows whose last post the teacher may no longer
see are left out (the same reader, `selectors.conversations_for`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from staffroom.conversations.selectors import conversations_for
from staffroom.graph.exports import address_of
from staffroom.leaving.export import ExportWriter, export_part
from staffroom.profiles.models import Profile

if TYPE_CHECKING:
    from staffroom.accounts.models import User

PAGE = 80


def _rows(profile: Profile) -> list[dict[str, Any]]:
    written: list[dict[str, Any]] = []
    max_id: int | None = None
    while True:
        page = conversations_for(profile, limit=PAGE, max_id=max_id)
        written += [
            {
                "thread_id": str(row.thread_id),
                "last_status_id": str(row.last_status_id),
                "unread": row.is_unread,
                "participants": [address_of(other) for other in row.participants.all()],
            }
            for row in page
        ]
        if len(page) < PAGE:
            return written
        max_id = page[-1].last_status_id


@export_part(name="conversations", version=1, order=255)
def conversations_export(user: User, writer: ExportWriter) -> None:
    """`conversations.json`: `conversations` (see the module docstring)."""
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return
    writer.write_json("conversations.json", {"conversations": _rows(profile)})
