"""Announcement pages: the administrators' page (`/moderation/announcements`: publish, edit,
unpublish, delete) and the teacher's dismiss button on the home page banner. Every change
goes through `announcements.services`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from staffroom.announcements import services
from staffroom.announcements.forms import AnnouncementForm, NewAnnouncementForm
from staffroom.announcements.models import Announcement
from staffroom.announcements.selectors import announcements_for_admin
from staffroom.core.exceptions import DomainError, NotFound
from staffroom.core.ids import parse_snowflake
from staffroom.moderation.views._common import acting_user, admins_only
from staffroom.profiles.selectors import own_profile
from staffroom.web.errors import domain_errors, error_text


def _page(
    request: HttpRequest, form: NewAnnouncementForm | None = None, code: int = 200
) -> HttpResponse:
    context = {
        "announcements": announcements_for_admin(),
        "form": form or NewAnnouncementForm(),
        "current": "announcements",
    }
    return render(request, "announcements/admin.html", context, status=code)


@admins_only
@require_http_methods(["GET", "POST"])
def announcement_admin(request: HttpRequest) -> HttpResponse:
    """Every announcement with a form for a new one; POST publishes it (or saves a draft)."""
    if request.method != "POST":
        return _page(request)
    form = NewAnnouncementForm(request.POST)
    if not form.is_valid():
        return _page(request, form, 422)
    try:
        services.announcement_create(actor=acting_user(request), **form.cleaned_data)
    except DomainError as error:
        form.add_error(None, error_text(error))
        return _page(request, form, error.status_code)
    messages.success(request, _("The announcement is saved."))
    return redirect("announcements:admin")


def _announcement(announcement_id: str) -> Announcement:
    found = (
        Announcement.objects.filter(pk=announcement_id).first()
        if parse_snowflake(announcement_id)
        else None
    )
    if found is None:
        raise NotFound("Record not found")
    return found


@admins_only
@require_http_methods(["GET", "POST"])
def announcement_edit(request: HttpRequest, announcement_id: str) -> HttpResponse:
    announcement = _announcement(announcement_id)
    initial = {
        "text": announcement.text,
        "starts_at": announcement.starts_at,
        "ends_at": announcement.ends_at,
        "all_day": announcement.all_day,
    }
    form = AnnouncementForm(request.POST or None, initial=initial)
    code = 200
    if request.method == "POST":
        code = 422
        if form.is_valid():
            try:
                services.announcement_update(
                    actor=acting_user(request),
                    announcement_id=announcement.pk,
                    **form.cleaned_data,
                )
            except DomainError as error:
                form.add_error(None, error_text(error))
                code = error.status_code
            else:
                messages.success(request, _("The announcement is changed."))
                return redirect("announcements:admin")
    context = {"announcement": announcement, "form": form, "current": "announcements"}
    return render(request, "announcements/edit.html", context, status=code)


@admins_only
@require_POST
def announcement_action(request: HttpRequest, announcement_id: str, action: str) -> HttpResponse:
    """`publish`, `unpublish` or `delete`."""
    actor = acting_user(request)
    pk = _announcement(announcement_id).pk
    match action:
        case "publish" | "unpublish":
            services.announcement_publish(
                actor=actor, announcement_id=pk, publish=action == "publish"
            )
            messages.success(request, _("The announcement is saved."))
        case "delete":
            services.announcement_delete(actor=actor, announcement_id=pk)
            messages.success(request, _("The announcement is deleted."))
        case _:
            raise NotFound("Record not found")
    return redirect("announcements:admin")


@login_required
@require_POST
@domain_errors
def announcement_dismiss(request: HttpRequest, announcement_id: str) -> HttpResponse:
    """The banner's "Dismiss": back to the page it was on (home by default)."""
    services.announcement_dismiss(account=own_profile(request), announcement_id=announcement_id)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("web:home")
    messages.success(request, _("The announcement is dismissed."))
    return redirect(back)
