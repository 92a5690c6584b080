"""Settings → Blocks and Settings → Mutes."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from staffroom.accounts.settings_sections import settings_sections
from staffroom.graph import selectors
from staffroom.graph.views._common import (
    _people,
)
from staffroom.profiles.selectors import own_profile
from staffroom.web.paging import paged

# --- Settings: blocks and mutes ------------------------------------------------------------


@login_required
@require_GET
def blocks_list(request: HttpRequest) -> HttpResponse:
    """`/settings/blocks`: whom the teacher blocks, each with Unblock."""
    viewer = own_profile(request)
    page = paged(request, lambda **kw: selectors.blocks_of(viewer=viewer, **kw), lambda row: row.pk)
    people = _people(None, [row.blocked for row in page.rows])
    context = {
        "sections": settings_sections(),
        "current_section": "blocks",
        "page": page,
        "people": people,
        "next": request.get_full_path(),
    }
    return render(request, "graph/blocks.html", context)


@login_required
@require_GET
def mutes_list(request: HttpRequest) -> HttpResponse:
    """`/settings/mutes`: whom the teacher mutes now, until when, each with Unmute."""
    viewer = own_profile(request)
    page = paged(request, lambda **kw: selectors.mutes_of(viewer=viewer, **kw), lambda row: row.pk)
    people = [
        {**card, "mute": row}
        for card, row in zip(
            _people(None, [row.muted for row in page.rows]), page.rows, strict=True
        )
    ]
    context = {
        "sections": settings_sections(),
        "current_section": "mutes",
        "page": page,
        "people": people,
        "next": request.get_full_path(),
    }
    return render(request, "graph/mutes.html", context)
