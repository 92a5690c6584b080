"""The graph's deletion part: a deleted teacher's follows, both ways.

The rows would go with the profile row anyway (every foreign key to it cascades), but a
cascade emits no event: the people they followed and who followed them would keep
counting a follower or followee that no longer exists, and other teachers' feeds would
keep their posts until the cascade. Ending each follow through `follows_delete` emits
FollowDeleted, so counters and feeds follow as for an unfollow. Blocks, mutes, requests,
connections and lists cascade with the profile: nothing is derived from them elsewhere.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from staffroom.accounts.models import User
from staffroom.graph.models import AccountNote, Follow
from staffroom.graph.services.follow import follows_delete
from staffroom.leaving.deletion import deletion_part
from staffroom.profiles.models import Profile

BATCH = 500


@deletion_part(name="graph", order=700)
def follows_of_deleted_account(user: User) -> None:
    """End every follow of and by the teacher (endorsements with them), in batches, and
    delete the private notes they wrote or that were written about them. Idempotent."""
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return
    # Private notes by and about the teacher go at once (the rest cascades with the row).
    AccountNote.objects.filter(Q(author=profile) | Q(target=profile)).delete()
    either_way = Q(follower=profile) | Q(followee=profile)
    while True:
        with transaction.atomic():
            batch = list(Follow.objects.filter(either_way).values_list("pk", flat=True)[:BATCH])
            if not batch:
                return
            follows_delete(Q(pk__in=batch))
