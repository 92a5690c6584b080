"""Settings → Import: upload a Mastodon CSV export, follow its progress, read its report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from staffroom.accounts.settings_sections import settings_sections
from staffroom.core.exceptions import DomainError
from staffroom.importing.forms import ImportForm
from staffroom.importing.models import ImportJob
from staffroom.importing.selectors import (
    import_get,
    import_issues,
    import_list_for,
    import_report,
    row_value,
)
from staffroom.importing.services import import_create, import_retry
from staffroom.profiles.selectors import own_profile
from staffroom.web.errors import domain_errors, error_text


def _page(request: HttpRequest, form: ImportForm, status: int = 200) -> HttpResponse:
    owner = own_profile(request)
    imports = import_list_for(owner=owner)
    context = {
        "sections": settings_sections(),
        "current_section": "import",
        "form": form,
        "imports": [(job, import_report(job)) for job in imports],
    }
    return render(request, "importing/settings_import.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    """`/settings/import`: the form, and the teacher's imports. A refused file (too large,
    not UTF-8, another type's, while another import runs) shows the form again with the
    reason and its status (413, 409 or 422)."""
    if request.method != "POST":
        return _page(request, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=422)
    try:
        job = import_create(
            actor=own_profile(request),
            upload=form.cleaned_data["file"],
            kind=form.cleaned_data["type"],
            mode=form.cleaned_data["mode"],
        )
    except DomainError as error:
        form.add_error("file", error_text(error))
        return _page(request, form, status=error.status_code)
    messages.success(request, _("Your file is being imported. This page shows how far it is."))
    return redirect("importing:detail", import_id=job.pk)


def _detail_context(request: HttpRequest, import_id: str) -> dict[str, Any]:
    job: ImportJob = import_get(owner=own_profile(request), import_id=import_id)
    issues = import_issues(job) if not job.is_unfinished else []
    return {
        "job": job,
        "report": import_report(job),
        "issues": [(row, row_value(row)) for row in issues],
    }


@never_cache
@login_required
@require_GET
@domain_errors
def import_detail(request: HttpRequest, import_id: str) -> HttpResponse:
    """`/settings/import/<id>`: progress while it runs (the block refreshes itself), then the
    report: imported, already there, not found, not on this server yet, failed (with why)."""
    context = {
        "sections": settings_sections(),
        "current_section": "import",
        **_detail_context(request, import_id),
    }
    return render(request, "importing/import_detail.html", context)


@never_cache
@login_required
@require_GET
@domain_errors
def import_progress(request: HttpRequest, import_id: str) -> HttpResponse:
    """The progress and report block alone, which the detail page polls (htmx)."""
    return render(request, "importing/_progress.html", _detail_context(request, import_id))


@login_required
@require_POST
@domain_errors
def import_retry_view(request: HttpRequest, import_id: str) -> HttpResponse:
    """`POST /settings/import/<id>/retry`: try the rows not found or not here yet again."""
    try:
        import_retry(actor=own_profile(request), import_id=import_id)
    except DomainError as error:
        if error.status_code == 404:
            raise
        messages.error(request, error.message)
    return redirect("importing:detail", import_id=import_id)
