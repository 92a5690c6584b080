"""Settings → Filters: the teacher's filters (title, where each applies, what it does,
when it expires), a page to make or change one (its keywords, each with a whole-word
toggle) and Delete. Every action calls `filters.services`, as the API does."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from staffroom.accounts.settings_sections import settings_sections
from staffroom.core.exceptions import ValidationFailed
from staffroom.filters.forms import FilterForm, KeywordFormSet
from staffroom.filters.models import FILTERS_MAX, Filter, FilterContext
from staffroom.filters.selectors import filter_of, filters_of
from staffroom.filters.services import (
    KEEP,
    KeywordChange,
    filter_create,
    filter_delete,
    filter_update,
)
from staffroom.profiles.selectors import own_profile
from staffroom.web.errors import domain_errors, error_text

_CONTEXT_LABELS = dict(FilterContext.choices)


def _base(request: HttpRequest) -> dict[str, Any]:
    return {"sections": settings_sections(), "current_section": "filters"}


@login_required
@require_http_methods(["GET"])
def filters_settings(request: HttpRequest) -> HttpResponse:
    """`/settings/filters`: the teacher's filters, each with Edit and Delete."""
    rows = filters_of(own_profile(request))
    context = {
        **_base(request),
        "filters": [
            {
                "filter": item,
                "contexts": [_CONTEXT_LABELS[value] for value in item.context],
                "keywords": [keyword.keyword for keyword in item.keywords.all()],
                "statuses": len(item.statuses.all()),
            }
            for item in rows
        ],
        "filters_max": FILTERS_MAX,
        "can_add": len(rows) < FILTERS_MAX,
    }
    return render(request, "filters/settings.html", context)


def _changes(formset: Any) -> list[KeywordChange]:
    changes = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data:
            continue
        keyword = (data.get("keyword") or "").strip()
        row_id = data.get("id") or None
        if row_id is None and not keyword:
            continue
        if row_id is not None and (data.get("remove") or not keyword):
            changes.append(KeywordChange(id=row_id, destroy=True))
            continue
        changes.append(
            KeywordChange(id=row_id, keyword=keyword, whole_word=bool(data.get("whole_word")))
        )
    return changes


def _edit_page(
    request: HttpRequest, form: FilterForm, formset: Any, found: Filter | None, status: int = 200
) -> HttpResponse:
    context = {**_base(request), "form": form, "formset": formset, "found": found}
    return render(request, "filters/edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def filter_new(request: HttpRequest) -> HttpResponse:
    """`/settings/filters/new`: make a filter; a refusal shows the form again (422)."""
    viewer = own_profile(request)
    if request.method != "POST":
        return _edit_page(request, FilterForm(), KeywordFormSet(prefix="keywords"), None)
    form = FilterForm(request.POST)
    formset = KeywordFormSet(request.POST, prefix="keywords")
    if form.is_valid() and formset.is_valid():
        try:
            filter_create(
                actor=viewer,
                title=form.cleaned_data["title"],
                context=form.cleaned_data["context"],
                action=form.cleaned_data["action"],
                expires_in=form.expires_in(),
                keywords=_changes(formset),
            )
        except ValidationFailed as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("The filter is saved."))
            return redirect("filters:settings")
    return _edit_page(request, form, formset, None, status=422)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def filter_edit(request: HttpRequest, filter_id: str) -> HttpResponse:
    """`/settings/filters/<id>/edit`: another teacher's filter is a 404."""
    viewer = own_profile(request)
    found = filter_of(viewer, filter_id)
    if request.method != "POST":
        initial = {
            "title": found.title,
            "context": found.context,
            "action": "hide" if found.action == "hide" else "warn",
        }
        rows = [
            {"id": str(keyword.pk), "keyword": keyword.keyword, "whole_word": keyword.whole_word}
            for keyword in found.keywords.all()
        ]
        return _edit_page(
            request,
            FilterForm(initial=initial, editing=True),
            KeywordFormSet(initial=rows, prefix="keywords"),
            found,
        )
    form = FilterForm(request.POST, editing=True)
    formset = KeywordFormSet(request.POST, prefix="keywords")
    if form.is_valid() and formset.is_valid():
        try:
            filter_update(
                actor=viewer,
                filter_id=found.pk,
                title=form.cleaned_data["title"],
                context=form.cleaned_data["context"],
                action=form.cleaned_data["action"],
                expires_in=KEEP if form.keeps_expiry() else form.expires_in(),
                keywords=_changes(formset),
            )
        except ValidationFailed as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("The filter is saved."))
            return redirect("filters:settings")
    return _edit_page(request, form, formset, found, status=422)


@login_required
@require_POST
@domain_errors
def filter_remove(request: HttpRequest, filter_id: str) -> HttpResponse:
    """`POST /settings/filters/<id>/delete`."""
    filter_delete(actor=own_profile(request), filter_id=filter_id)
    messages.success(request, _("The filter is deleted."))
    return redirect("filters:settings")
