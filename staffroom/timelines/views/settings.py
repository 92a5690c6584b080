"""Settings → Feed: how many "from educators like you" posts the home feed mixes in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from staffroom.accounts.settings_sections import (
    settings_sections,
)
from staffroom.core.exceptions import ValidationFailed
from staffroom.profiles.selectors import own_profile
from staffroom.timelines.forms import FeedPreferencesForm
from staffroom.timelines.selectors import feed_preferences_of
from staffroom.timelines.services import feed_preferences_update
from staffroom.web.errors import error_text


@login_required
@require_http_methods(["GET", "POST"])
def feed_settings(request: HttpRequest) -> HttpResponse:
    """`/settings/feed`: the number of suggested posts per home page, 0 to 5 (0: none).
    A value outside that range is refused with 422 and the form shown again."""
    viewer = own_profile(request)
    current = feed_preferences_of(viewer)
    form = FeedPreferencesForm(
        request.POST or None, initial={"suggested_per_page": current.suggested_per_page}
    )
    code = 200
    if request.method == "POST":
        code = 422
        if form.is_valid():
            try:
                feed_preferences_update(
                    viewer, suggested_per_page=form.cleaned_data["suggested_per_page"]
                )
            except ValidationFailed as error:
                form.add_error("suggested_per_page", error_text(error))
            else:
                messages.success(request, _("Your feed settings are saved."))
                return redirect("timelines:feed-settings")
    context = {"form": form, "sections": settings_sections(), "current_section": "feed"}
    return render(request, "timelines/feed_settings.html", context, status=code)
