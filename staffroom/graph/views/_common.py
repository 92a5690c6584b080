"""What the graph pages share: the viewer, the control's options and relationships,
paging by id, and how a domain error reads on a page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from staffroom.graph import selectors, services
from staffroom.graph.forms import PurposeListForm
from staffroom.graph.selectors import relationships
from staffroom.profiles import views as profile_views
from staffroom.profiles.models import Profile

PURPOSE_CHOICES = PurposeListForm.base_fields["purpose"].choices  # type: ignore[attr-defined]
ASKED_SHOWN_MAX = 80

# Actions that create something need a target the teacher may reach (in good standing, not
# blocking them); undoing works on any known account, so a block or mute never gets stuck.
CREATING = frozenset(
    {"follow", "connect", "accept", "authorize", "block", "mute", "endorse", "note"}
)
UNDOING = frozenset(
    {
        "unfollow",
        "remove-follower",
        "reject",
        "decline",
        "disconnect",
        "unblock",
        "unmute",
        "unendorse",
    }
)
ACTIONS = CREATING | UNDOING | {"purposes"}


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


# --- The follow control --------------------------------------------------------------------


def control_options(viewer: Profile | None) -> dict[str, Any]:
    """What every follow control on a page shares: the viewer's purpose lists, or the default
    lists offered from their goals when they have none. No query for an anonymous viewer."""
    if viewer is None:
        return {"graph_lists": [], "graph_suggested": []}
    lists = selectors.purpose_lists_of(viewer=viewer)
    suggested = [] if lists else services.default_purpose_lists_for(viewer)
    return {"graph_lists": lists, "graph_suggested": suggested}


def relationships_by_id(viewer: Profile | None, profiles: Sequence[Profile]) -> dict[int, Any]:
    """The viewer's relationship with each profile, by id, in one batch (none when
    anonymous: the controls then say "Sign in to follow")."""
    if viewer is None:
        return {}
    return {rel.id: rel for rel in relationships(viewer=viewer, targets=list(profiles))}


def _people(viewer: Profile | None, profiles: list[Profile], **extra: Any) -> list[dict[str, Any]]:
    """Cards for `profiles` with the viewer's relationship to each: one batch of queries."""
    prefetch_related_objects(profiles, "terms")
    rels = relationships_by_id(viewer, profiles)
    return [{**profile_views.profile_display(p), "rel": rels.get(p.pk), **extra} for p in profiles]


def _network(request: HttpRequest, section: str, template: str, **context: Any) -> HttpResponse:
    viewer = context.pop("viewer")
    context = {"network_section": section, "next": request.get_full_path(), **context}
    return render(request, template, {**control_options(viewer), **context})
