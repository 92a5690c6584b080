"""The scheduled posts' deletion part: a leaving teacher's posts still to come. (None is
published meanwhile: the publishing job drops the posts of an account no longer active.)"""

from __future__ import annotations

from staffroom.accounts.models import User
from staffroom.leaving.deletion import deletion_part
from staffroom.profiles.models import Profile
from staffroom.scheduling.services import scheduled_statuses_of_profile_delete


@deletion_part(name="scheduled_posts", order=105)
def scheduled_posts_of_deleted_account(user: User) -> None:
    """Delete the teacher's scheduled posts (their uploads go with the media part).
    Idempotent."""
    profile = Profile.objects.filter(user=user).first()
    if profile is not None:
        scheduled_statuses_of_profile_delete(profile)
