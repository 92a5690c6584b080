"""Writing what a teacher keeps about their feeds: read positions (markers) and how many
"from educators like you" items a page mixes in."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from staffroom.core.exceptions import ValidationFailed
from staffroom.core.ids import parse_snowflake
from staffroom.profiles.models import Profile
from staffroom.timelines.models import (
    SUGGESTED_PER_PAGE_MAX,
    FeedPreferences,
    Marker,
    MarkerTimeline,
)


def marker_set(viewer: Profile, timeline: str, last_read_id: str) -> Marker:
    """Save the read position in `home` or `notifications`; each save raises `version`."""
    if timeline not in MarkerTimeline.values:
        raise ValidationFailed(
            _("Validation failed: timeline must be home or notifications, not %(name)s")
            % {"name": timeline[:40]}
        )
    position = parse_snowflake(last_read_id)
    if position is None:
        raise ValidationFailed(_("Validation failed: last_read_id must be an id"))
    with transaction.atomic():
        marker, created = Marker.objects.select_for_update().get_or_create(
            owner=viewer, timeline=timeline, defaults={"last_read_id": str(position)}
        )
        if not created:
            Marker.objects.filter(pk=marker.pk).update(
                last_read_id=str(position), version=F("version") + 1
            )
            marker.refresh_from_db()
    return marker


def feed_preferences_update(viewer: Profile, *, suggested_per_page: int) -> FeedPreferences:
    if not 0 <= suggested_per_page <= SUGGESTED_PER_PAGE_MAX:
        raise ValidationFailed(
            _("Validation failed: choose between 0 and %(max)d suggested posts a page")
            % {"max": SUGGESTED_PER_PAGE_MAX}
        )
    preferences, _created = FeedPreferences.objects.update_or_create(
        owner=viewer, defaults={"suggested_per_page": suggested_per_page}
    )
    return preferences
