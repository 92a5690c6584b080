"""Settings → Notifications: which kinds show (the rest are not written at all) and which
are e-mailed (opt-in, sent in batches)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from staffroom.accounts.settings_sections import settings_sections
from staffroom.core.exceptions import ValidationFailed
from staffroom.notifications.forms import NotificationSettingsForm
from staffroom.notifications.selectors import KINDS, preferences_of
from staffroom.notifications.services import preferences_update
from staffroom.profiles.selectors import own_profile


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    """`/settings/notifications`. Bad input (a kind that does not exist) is refused with
    422 and the form shown again as sent; nothing changes."""
    viewer = own_profile(request)
    current = preferences_of(viewer)
    initial = {
        "shown": sorted(KINDS - set(current.muted_kinds)),
        "emailed": list(current.email_kinds),
    }
    form = NotificationSettingsForm(request.POST or None, initial=initial)
    code = 200
    if request.method == "POST":
        code = 422
        if form.is_valid():
            shown = set(form.cleaned_data["shown"])
            try:
                preferences_update(
                    viewer,
                    muted_kinds=sorted(KINDS - shown),
                    email_kinds=form.cleaned_data["emailed"],
                )
            except ValidationFailed as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Your notification settings are saved."))
                return redirect("notifications:settings")
    context = {"form": form, "sections": settings_sections(), "current_section": "notifications"}
    return render(request, "notifications/settings.html", context, status=code)
