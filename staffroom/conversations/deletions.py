"""The conversations' deletion part: a deleted teacher's own conversation rows.

Their rows would go with the profile row anyway (the foreign key cascades); deleting them
here, before the `posts` part (same order, sorted by name), means no page or stream shows
them while the rest of the account goes, and their posts' deletion has no row of theirs
left to refresh. Other
teachers' conversations with them follow their posts: the `posts` part deletes each post
through the service, and StatusDeleted refreshes those rows (they fall back to the
previous post, or go); the participant links go with the profile row.
"""

from __future__ import annotations

from staffroom.accounts.models import User
from staffroom.conversations.services import conversations_delete_owned
from staffroom.leaving.deletion import deletion_part
from staffroom.profiles.models import Profile


@deletion_part(name="conversations", order=100)
def conversations_of_deleted_account(user: User) -> None:
    """Delete every conversation row the teacher owns. Idempotent."""
    profile = Profile.objects.filter(user=user).first()
    if profile is not None:
        conversations_delete_owned(profile)
