"""The announcements' deletion part: a leaving teacher's dismissals and reactions. The
announcements themselves are the server's and stay."""

from __future__ import annotations

from staffroom.accounts.models import User
from staffroom.announcements.services import announcements_of_profile_delete
from staffroom.leaving.deletion import deletion_part
from staffroom.profiles.models import Profile


@deletion_part(name="announcements", order=725)
def announcements_of_deleted_account(user: User) -> None:
    """Delete the teacher's reads and reactions. Idempotent."""
    profile = Profile.objects.filter(user=user).first()
    if profile is not None:
        announcements_of_profile_delete(profile)
