"""The media deletion part: a leaving teacher's uploads, rows and files.

It runs after the posts part (whose StatusDeleted events already took each post's own
attachments with it) and takes what is left: uploads never attached, and any attachment
whose post went some other way. Files are deleted by a retried job after each batch commits.
"""

from __future__ import annotations

from staffroom.accounts.models import User
from staffroom.leaving.deletion import deletion_part
from staffroom.media.services import media_delete_for_account
from staffroom.profiles.models import Profile


@deletion_part(name="media", order=150)
def media_attachments_delete(user: User) -> None:
    """Every attachment the teacher uploaded, with its files. Idempotent."""
    profile = Profile.objects.filter(user=user).first()
    if profile is not None:
        media_delete_for_account(profile)
