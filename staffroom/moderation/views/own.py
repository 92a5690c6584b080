"""Settings → Reports and Settings → Moderation: what a teacher may read of moderation,
their own reports (open or handled, never what was done) and what moderators did to their
account (with the moderators' notes, never who acted or who reported)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from staffroom.accounts.settings_sections import settings_sections
from staffroom.moderation.selectors import notices_for, reports_filed_by
from staffroom.profiles.selectors import own_profile
from staffroom.web.paging import paged


@login_required
@require_GET
def my_reports(request: HttpRequest) -> HttpResponse:
    viewer = own_profile(request)
    page = paged(request, lambda **window: reports_filed_by(viewer, **window), key=lambda r: r.pk)
    context = {"page": page, "sections": settings_sections(), "current_section": "reports"}
    return render(request, "moderation/my_reports.html", context)


@login_required
@require_GET
def my_notices(request: HttpRequest) -> HttpResponse:
    viewer = own_profile(request)
    page = paged(request, lambda **window: notices_for(viewer, **window), key=lambda a: a.pk)
    context = {"page": page, "sections": settings_sections(), "current_section": "moderation"}
    return render(request, "moderation/my_notices.html", context)
