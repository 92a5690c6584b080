"""`{% announcement_banner %}`: the announcements in force that the signed-in teacher has
not dismissed, each with a Dismiss button (the home page shows it above the feed)."""

from __future__ import annotations

from typing import Any

from django import template

from staffroom.announcements.selectors import unread_announcements
from staffroom.profiles.models import Profile

register = template.Library()


@register.inclusion_tag("announcements/_banner.html", takes_context=True)
def announcement_banner(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    profile = getattr(user, "profile", None) if user is not None and user.is_authenticated else None
    unread = unread_announcements(profile) if isinstance(profile, Profile) else []
    path = request.get_full_path() if request is not None else ""
    return {"announcements": unread, "next": path, "csrf_token": context.get("csrf_token")}
