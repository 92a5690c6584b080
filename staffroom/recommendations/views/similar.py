"""`/grow/like/<handle>`: "Educators like <name>", a few educators with a profile and a
network like one teacher's. The profile page loads it after the page (htmx), so the
profile itself costs no suggestion work; without JavaScript it is a link to this page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from staffroom.profiles import views as profile_views
from staffroom.profiles.viewer import viewer_profile
from staffroom.recommendations.selectors import similar_to
from staffroom.recommendations.views._common import is_htmx
from staffroom.recommendations.views.grow import suggestion_cards
from staffroom.web.lookup import local_profile_or_404

SIMILAR_SHOWN = 5


@require_GET
def similar(request: HttpRequest, handle: str) -> HttpResponse:
    """Up to five educators like a local teacher, each with the reason; never the viewer or
    anyone they follow, block, mute or dismissed. 404 like the profile page."""
    profile = local_profile_or_404(handle, request.user)
    found = similar_to(viewer_profile(request), profile, limit=SIMILAR_SHOWN)
    context = {
        "card": profile_views.profile_display(profile),
        "similar_cards": suggestion_cards(found),
    }
    template = (
        "recommendations/_similar.html" if is_htmx(request) else "recommendations/similar.html"
    )
    return render(request, template, context)
