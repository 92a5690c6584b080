"""The filters' deletion part: a leaving teacher's filters, keywords and filtered posts.
Idempotent."""

from __future__ import annotations

from staffroom.accounts.models import User
from staffroom.filters.services import filters_of_profile_delete
from staffroom.leaving.deletion import deletion_part
from staffroom.profiles.models import Profile


@deletion_part(name="filters", order=710)
def filters_of_deleted_account(user: User) -> None:
    profile = Profile.objects.filter(user=user).first()
    if profile is not None:
        filters_of_profile_delete(profile)
