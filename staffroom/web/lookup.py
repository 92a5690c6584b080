"""Finding the local teacher a page is about, for views under `/@handle/...`."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from staffroom.core.exceptions import NotFound
from staffroom.profiles.models import Profile
from staffroom.profiles.selectors import profile_lookup


def local_profile_or_404(handle: str, user: Any) -> Profile:
    """The local profile with this handle as `user` may see it; 404 for a remote address,
    an unknown or hidden account, or one on either side of a block with the viewer (the
    same answer for all, so a page never tells them apart)."""
    if "@" in handle:
        raise Http404
    try:
        profile = profile_lookup(handle, user)
    except NotFound as error:
        raise Http404 from error
    if not profile.is_local:
        raise Http404
    return profile
