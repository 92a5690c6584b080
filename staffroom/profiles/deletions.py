"""The profiles' deletion part: a deleted teacher's images, terms and personal fields."""

from __future__ import annotations

from django.db import transaction

from staffroom.accounts.models import User
from staffroom.core.events import ProfileUpdated, emit
from staffroom.core.images import delete_stored_image
from staffroom.leaving.deletion import deletion_part
from staffroom.profiles.models import Profile, ProfileTerm


@deletion_part(name="profile", order=900)
def profile_delete(user: User) -> None:
    """The profile's images, terms and personal fields.

    Files go first, then the rows: a crash in between leaves rows naming missing files,
    which the rerun clears; the other order could leave files no row names any more. The
    profile row itself goes with the user row, blanked here so nothing personal lingers
    if that last step is delayed.
    """
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return
    delete_stored_image(profile.avatar)
    delete_stored_image(profile.header)
    with transaction.atomic():
        ProfileTerm.objects.filter(profile=profile).delete()
        Profile.objects.filter(pk=profile.pk).update(
            display_name="",
            note="",
            note_html="",
            fields=[],
            avatar="",
            header="",
            role="",
            experience_years=None,
            mentorship="",
            timezone="",
            goal_purposes=[],
            interaction_style="",
            learning_styles=[],
            is_discoverable=False,
            is_indexable=False,
        )
        emit(ProfileUpdated(profile_id=profile.pk))
