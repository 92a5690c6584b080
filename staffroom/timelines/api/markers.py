"""`/api/v1/markers`: where a teacher stopped reading their home feed and notifications,
saved so their other devices pick up at the same post (Mastodon's Marker)."""

from __future__ import annotations

from typing import Any, TypedDict

from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router

from staffroom.core.api.auth import TokenAuth
from staffroom.core.api.input import request_data
from staffroom.posts.entities import mastodon_timestamp
from staffroom.profiles.selectors import own_profile
from staffroom.timelines.api.schemas import Marker, MarkersIn, MarkersQuery
from staffroom.timelines.models import Marker as MarkerRow
from staffroom.timelines.selectors import markers_of
from staffroom.timelines.services import marker_set

router = Router(tags=["timelines"])


class MarkerEntity(TypedDict):
    """Mastodon's Marker (keyed by its timeline's name in the answers)."""

    last_read_id: str
    version: int
    updated_at: str


def marker_entities(markers: list[MarkerRow]) -> dict[str, MarkerEntity]:
    return {
        marker.timeline: {
            "last_read_id": marker.last_read_id,
            "version": marker.version,
            "updated_at": mastodon_timestamp(marker.updated_at),
        }
        for marker in markers
    }


@router.get(
    "",
    response=dict[str, Marker],
    auth=TokenAuth("read:statuses"),
    summary="Your read positions (`timeline[]=home&timeline[]=notifications`)",
)
def marker_list(request: HttpRequest, query: Query[MarkersQuery]) -> dict[str, MarkerEntity]:
    """Only the timelines asked for and ever saved are answered; unknown names are left
    out, as Mastodon does."""
    return marker_entities(markers_of(own_profile(request), query.timeline))


@router.post(
    "",
    response=dict[str, Marker],
    auth=TokenAuth("write:statuses"),
    summary="Save your read position (`home[last_read_id]=…`, form or JSON)",
)
def marker_save(request: HttpRequest, payload: MarkersIn) -> dict[str, MarkerEntity]:
    """Answers the markers saved, each with its `version` moved on. Any other object in
    the body (`bogus[last_read_id]=…`) is an unknown timeline: 422, nothing saved."""
    viewer = own_profile(request)
    wanted = _wanted(payload, request_data(request))
    with transaction.atomic():
        saved = [marker_set(viewer, name, last_read_id) for name, last_read_id in wanted]
    return marker_entities(saved)


def _wanted(payload: MarkersIn, data: dict[str, Any]) -> list[tuple[str, str]]:
    """(timeline, last_read_id) for each object of the body, home and notifications first.
    Plain values (the query string, a client's extra flags) are not markers. The other
    objects come from the folded input itself: the schema only knows the two timelines."""
    wanted = [
        (name, _text(marker.last_read_id))
        for name, marker in (("home", payload.home), ("notifications", payload.notifications))
        if marker is not None
    ]
    for name, value in data.items():
        if name not in ("home", "notifications") and isinstance(value, dict):
            wanted.append((name, _text(value.get("last_read_id"))))
    return wanted


def _text(value: object) -> str:
    """A last read id as text: Mastodon.py sends a number in JSON, forms send a string;
    anything else is left for the service to refuse."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, (int, str)):
        return str(value)
    return ""
