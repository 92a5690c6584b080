"""Settings → Export and Settings → Delete account."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from staffroom.accounts.selectors import request_user
from staffroom.accounts.settings_sections import settings_sections
from staffroom.accounts.throttling import password_reconfirmed
from staffroom.core.exceptions import DomainError, PermissionDenied, RateLimited
from staffroom.leaving.deletion import account_delete_request
from staffroom.leaving.forms import AccountDeleteForm
from staffroom.leaving.selectors import export_list_for_user
from staffroom.leaving.services import EXPORT_KEEP, export_get_for_download, export_request
from staffroom.profiles.models import Profile
from staffroom.web.errors import domain_errors


def _export_context(request: HttpRequest) -> dict[str, Any]:
    exports = export_list_for_user(user=request_user(request))
    return {
        "sections": settings_sections(),
        "current_section": "export",
        "exports": exports,
        "is_unfinished": any(export.is_unfinished for export in exports),
        "keep_days": EXPORT_KEEP.days,
    }


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def export_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            export_request(user=request_user(request))
        except DomainError as error:
            messages.error(request, error.message)
            response = render(request, "leaving/settings_export.html", _export_context(request))
            response.status_code = error.status_code
            if isinstance(error, RateLimited):
                response["Retry-After"] = str(error.retry_after)
            return response
        messages.success(request, _("Your export is being prepared. It takes a few minutes."))
        return redirect("leaving:export")
    return render(request, "leaving/settings_export.html", _export_context(request))


@never_cache
@login_required
@require_GET
def export_list_partial(request: HttpRequest) -> HttpResponse:
    """The list alone, which the page polls (htmx) while an export is being prepared."""
    return render(request, "leaving/_export_list.html", _export_context(request))


@never_cache
@login_required
@require_GET
@domain_errors
def export_download(request: HttpRequest, export_id: int) -> FileResponse:
    export, path = export_get_for_download(user=request_user(request), export_id=export_id)
    day = (export.finished_at or timezone.now()).date().isoformat()
    filename = f"staffroom-export-{day}-{export.pk}.zip"
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=filename, content_type="application/zip"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete_page(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    profile = Profile.objects.filter(user=user).first()
    handle = profile.handle if profile else user.email
    form = AccountDeleteForm(request.POST or None, handle=handle)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            password = form.cleaned_data["password"]
            try:
                # Checked as a sign-in first: guesses here count toward the lock too.
                if not password_reconfirmed(request, user, password):
                    raise PermissionDenied(_("That password is not right. Nothing was deleted."))
                account_delete_request(user=user, password=password)
            except DomainError as error:
                form.add_error("password", error.message)
                status = error.status_code
            else:
                logout(request)
                return redirect("leaving:goodbye")
    context = {
        "sections": settings_sections(),
        "current_section": "delete",
        "form": form,
        "handle": handle,
    }
    return render(request, "leaving/settings_delete.html", context, status=status)


@require_GET
def goodbye(request: HttpRequest) -> HttpResponse:
    return render(request, "leaving/goodbye.html")
