"""The notification extensions under `/api/v1/pln/notifications/`: which kinds a teacher
wants at all and which by e-mail, and the summary of what came while they were away (read
once on their return, then marked seen)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from staffroom.core.api.auth import TokenAuth
from staffroom.core.api.entities import EmptyEntity
from staffroom.notifications.api.entities import AwaySummaryEntity, NotificationPreferencesEntity
from staffroom.notifications.api.schemas import (
    AwaySummary,
    NotificationPreferencesIn,
    NotificationPreferencesOut,
)
from staffroom.notifications.models import NotificationPreferences
from staffroom.notifications.selectors import away_summary, preferences_of
from staffroom.notifications.services import away_summary_seen, preferences_update
from staffroom.profiles.selectors import own_profile

router = Router(tags=["pln notifications"])


def _preferences(preferences: NotificationPreferences) -> NotificationPreferencesEntity:
    return {
        "muted_kinds": sorted(preferences.muted_kinds),
        "email_kinds": sorted(preferences.email_kinds),
    }


def _kinds(values: list[str] | None) -> list[str] | None:
    """A list as sent, blank entries left out (`muted_kinds[]=` clears a list in a form)."""
    return None if values is None else [value for value in values if value.strip()]


@router.get(
    "/notifications/preferences",
    response=NotificationPreferencesOut,
    auth=TokenAuth("read:notifications"),
    summary="Which notification kinds you turned off, and which you get by e-mail",
)
def preferences_get(request: HttpRequest) -> NotificationPreferencesEntity:
    return _preferences(preferences_of(own_profile(request)))


@router.put(
    "/notifications/preferences",
    response=NotificationPreferencesOut,
    auth=TokenAuth("write:notifications"),
    summary="Choose the kinds you turn off (`muted_kinds[]`) and get by e-mail (`email_kinds[]`)",
)
def preferences_put(
    request: HttpRequest, payload: NotificationPreferencesIn
) -> NotificationPreferencesEntity:
    """A list left out is unchanged. An unknown kind is a 422 and nothing changes. Kinds
    turned off are not written at all from then on; what is already there stays."""
    preferences = preferences_update(
        own_profile(request),
        muted_kinds=_kinds(payload.muted_kinds),
        email_kinds=_kinds(payload.email_kinds),
    )
    return _preferences(preferences)


@router.get(
    "/notifications/away_summary",
    response=AwaySummary,
    auth=TokenAuth("read:notifications"),
    summary="How many notifications of each kind came while you were away",
)
def away_summary_get(request: HttpRequest) -> AwaySummaryEntity:
    """Empty while the teacher is still away, and once they marked it seen (until more
    comes during a later absence)."""
    return {"kinds": away_summary(own_profile(request))}


@router.post(
    "/notifications/away_summary/seen",
    response=dict[str, Any],
    auth=TokenAuth("write:notifications"),
    summary="Mark the away summary read",
)
def away_summary_mark_seen(request: HttpRequest) -> EmptyEntity:
    away_summary_seen(own_profile(request))
    return {}
