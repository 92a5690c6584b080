"""Settings → Notifications: which kinds show (the rest are not written at all) and which
are e-mailed (opt-in, sent in batches); and "Filter notifications from..." (the
notification policy: per category of sender, show, put aside or ignore)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from staffroom.accounts.settings_sections import settings_sections
from staffroom.core.exceptions import ValidationFailed
from staffroom.notifications.forms import NotificationPolicyForm, NotificationSettingsForm
from staffroom.notifications.models import POLICY_CATEGORIES
from staffroom.notifications.selectors import KINDS, policy_of, preferences_of
from staffroom.notifications.services import policy_update, preferences_update
from staffroom.profiles.models import Profile

if TYPE_CHECKING:
    from django.http import QueryDict
from staffroom.profiles.selectors import own_profile


def _kinds_form(viewer: Profile, data: QueryDict | None = None) -> NotificationSettingsForm:
    current = preferences_of(viewer)
    initial = {
        "shown": sorted(KINDS - set(current.muted_kinds)),
        "emailed": list(current.email_kinds),
    }
    return NotificationSettingsForm(data, initial=initial)


def _policy_form(viewer: Profile, data: QueryDict | None = None) -> NotificationPolicyForm:
    policy = policy_of(viewer)
    initial = {category: getattr(policy, category) for category in POLICY_CATEGORIES}
    return NotificationPolicyForm(data, initial=initial)


def _page(
    request: HttpRequest,
    form: NotificationSettingsForm,
    policy_form: NotificationPolicyForm,
    code: int,
) -> HttpResponse:
    context = {
        "form": form,
        "policy_form": policy_form,
        "sections": settings_sections(),
        "current_section": "notifications",
    }
    return render(request, "notifications/settings.html", context, status=code)


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    """`/settings/notifications`. Bad input (a kind that does not exist) is refused with
    422 and the form shown again as sent; nothing changes."""
    viewer = own_profile(request)
    form = _kinds_form(viewer, request.POST or None)
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
    return _page(request, form, _policy_form(viewer), code)


@login_required
@require_POST
def notification_policy(request: HttpRequest) -> HttpResponse:
    """`POST /settings/notifications/policy`: "Filter notifications from...". A choice
    that is not show, put aside or ignore is refused with 422, the page shown again as
    sent; nothing changes."""
    viewer = own_profile(request)
    policy_form = _policy_form(viewer, request.POST)
    if policy_form.is_valid():
        try:
            policy_update(viewer, **policy_form.cleaned_data)
        except ValidationFailed as error:
            policy_form.add_error(None, error.message)
        else:
            messages.success(request, _("Your notification filters are saved."))
            return redirect("notifications:settings")
    return _page(request, _kinds_form(viewer), policy_form, 422)
