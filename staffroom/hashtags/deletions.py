"""The hashtags' deletion part: a leaving teacher's followed and featured hashtags.

The rows would cascade with the profile, but a cascade emits no event; ending each follow
through the service emits TagUnfollowed, so anything derived from it follows as for an
unfollow. The tags themselves stay: they are everyone's."""

from __future__ import annotations

from staffroom.accounts.models import User
from staffroom.hashtags.services import hashtags_of_profile_delete
from staffroom.leaving.deletion import deletion_part
from staffroom.profiles.models import Profile


@deletion_part(name="hashtags", order=720)
def hashtags_of_deleted_account(user: User) -> None:
    """End the teacher's hashtag follows and featured hashtags. Idempotent."""
    profile = Profile.objects.filter(user=user).first()
    if profile is not None:
        hashtags_of_profile_delete(profile)
