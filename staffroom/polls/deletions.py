"""The polls' deletion part: a leaving teacher's votes come off every poll's counts.

Their own polls go with their posts (the posts part deletes the posts; a poll cascades
with its post). Votes would cascade with the profile too, but a cascade would leave the
counts of other teachers' polls counting votes that no longer exist.
"""

from __future__ import annotations

from staffroom.accounts.models import User
from staffroom.leaving.deletion import deletion_part
from staffroom.polls.services import poll_votes_delete_for_account
from staffroom.profiles.models import Profile


@deletion_part(name="polls", order=90)
def poll_votes_delete(user: User) -> None:
    """Every vote the teacher cast, taken off the counts in the same transaction. Idempotent."""
    profile = Profile.objects.filter(user=user).first()
    if profile is not None:
        poll_votes_delete_for_account(profile)
