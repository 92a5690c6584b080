"""The notifications export part: `notifications.json`, the teacher's notification
preferences and the notifications they can read.

- `preferences`: `muted_kinds` (never written) and `email_kinds` (e-mailed in digests);
- `policy`: the notification policy, `accept`, `filter` or `drop` for each of
  `for_not_following`, `for_not_followers`, `for_new_accounts`, `for_private_mentions` and
  `for_limited_accounts`;
- `notifications`, oldest first: `kind` (Mastodon's type names, `pln.` ones otherwise),
  `created_at`, `account` (who did it, as a `handle@domain` address, like the graph's
  files), `status_id` (the post it is about, or null) and `filtered` (true while put aside
  under a notification request).

Only what the notifications page would show is written: nothing from an account no longer
in good standing, nothing about a post the teacher may no longer see (the same re-check
as `selectors.notifications_for`). Nothing else about other teachers is in it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from staffroom.graph.exports import address_of
from staffroom.leaving.export import ExportWriter, export_part
from staffroom.notifications.models import POLICY_CATEGORIES, Notification
from staffroom.notifications.selectors import policy_of, preferences_of
from staffroom.posts.selectors import visible_among
from staffroom.profiles.models import Profile, good_standing_q

if TYPE_CHECKING:
    from staffroom.accounts.models import User

CHUNK = 500


def _chunks(profile: Profile) -> Iterator[list[Notification]]:
    """The teacher's notifications, oldest first, a chunk at a time, from accounts in good
    standing (as the notifications page reads them)."""
    rows = (
        Notification.objects.filter(recipient=profile)
        .filter(good_standing_q("account__"))
        .select_related("account")
        .order_by("id")
    )
    chunk: list[Notification] = []
    for row in rows.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _notifications(profile: Profile) -> list[dict[str, Any]]:
    written = []
    for chunk in _chunks(profile):
        visible = visible_among(profile, {row.status_id for row in chunk if row.status_id})
        for row in chunk:
            if row.status_id is not None and row.status_id not in visible:
                continue
            written.append(
                {
                    "kind": row.kind,
                    "created_at": row.created_at,
                    "account": address_of(row.account),
                    "status_id": str(row.status_id) if row.status_id is not None else None,
                    "filtered": row.filtered,
                }
            )
    return written


@export_part(name="notifications", version=1, order=250)
def notifications_export(user: User, writer: ExportWriter) -> None:
    """`notifications.json`: `preferences`, `policy` and `notifications` (see the module
    docstring)."""
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return
    preferences = preferences_of(profile)
    policy = policy_of(profile)
    writer.write_json(
        "notifications.json",
        {
            "preferences": {
                "muted_kinds": sorted(preferences.muted_kinds),
                "email_kinds": sorted(preferences.email_kinds),
            },
            "policy": {category: getattr(policy, category) for category in POLICY_CATEGORIES},
            "notifications": _notifications(profile),
        },
    )
