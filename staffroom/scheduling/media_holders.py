"""The uploads a scheduled post will carry are not unused: the media sweep keeps them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from staffroom.media.services import media_holder
from staffroom.scheduling.models import ScheduledStatusMedia


@media_holder
def scheduled_media_ids() -> QuerySet[Any, int]:
    return ScheduledStatusMedia.objects.values_list("media_id", flat=True)
