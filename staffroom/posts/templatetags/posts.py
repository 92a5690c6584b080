"""Template helpers for posts: times shown in the reader's own time zone."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, tzinfo
from typing import Any

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

_TZ_ATTRIBUTE = "_staffroom_viewer_tz"


def viewer_timezone(request: HttpRequest | None) -> tzinfo:
    """The signed-in teacher's time zone (their profile setting), else the server's.
    Read once per request: a page of posts asks for it once per post."""
    if request is None:
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)
    cached: tzinfo | None = getattr(request, _TZ_ATTRIBUTE, None)
    if cached is not None:
        return cached
    name = settings.TIME_ZONE
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        profile = getattr(user, "profile", None)
        name = getattr(profile, "timezone", "") or name
    try:
        zone: tzinfo = zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    setattr(request, _TZ_ATTRIBUTE, zone)
    return zone


@register.simple_tag(takes_context=True)
def local_time(context: dict[str, Any], moment: datetime | None) -> SafeString:
    """`<time datetime="…UTC…">` with the date and time in the reader's time zone."""
    if moment is None:
        return SafeString("")
    local = timezone.localtime(moment, viewer_timezone(context.get("request")))
    return format_html(
        '<time datetime="{}">{}</time>',
        moment.astimezone(zoneinfo.ZoneInfo("UTC")).isoformat(timespec="seconds"),
        formats.date_format(local, "DATETIME_FORMAT"),
    )
