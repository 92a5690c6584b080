"""The administrators' pages: the audit log (`/moderation/audit`, read-only, filter by
kind), the rules and terms (`/moderation/rules`) and who moderates (`/moderation/roles`).
Every change goes through a service, which writes its line in the audit log."""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from staffroom.accounts.models import StaffRole
from staffroom.accounts.selectors import site_configuration
from staffroom.core.exceptions import DomainError, NotFound
from staffroom.core.ids import parse_snowflake
from staffroom.moderation import services
from staffroom.moderation.forms import (
    AuditFilterForm,
    RoleForm,
    RuleEditForm,
    RuleForm,
    TermsForm,
)
from staffroom.moderation.models import Rule
from staffroom.moderation.selectors import audit_log, rules_in_force, staff
from staffroom.moderation.views._common import acting_user, admins_only, keep_query
from staffroom.profiles.models import Profile
from staffroom.web.errors import error_text
from staffroom.web.paging import Page, paged


@admins_only
@require_GET
def audit(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    form = AuditFilterForm(request.GET or None)
    code = 200
    if form.is_bound and not form.is_valid():
        page, code = Page([]), 400
    else:
        kind = form.cleaned_data.get("kind", "") if form.is_bound else ""
        page = paged(
            request,
            lambda **window: audit_log(actor=actor, kind=kind or None, **window),
            key=lambda action: action.pk,
        )
        keep_query(page, kind=kind)
    context = {"page": page, "form": form, "current": "audit"}
    return render(request, "moderation/audit.html", context, status=code)


def _rules_page(
    request: HttpRequest,
    *,
    rule_form: django_forms.Form | None = None,
    terms_form: django_forms.Form | None = None,
    code: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "rules": rules_in_force(),
        "rule_form": rule_form or RuleForm(),
        "terms_form": terms_form or TermsForm(initial={"terms": site_configuration().terms}),
        "current": "rules",
    }
    return render(request, "moderation/rules.html", context, status=code)


@admins_only
@require_http_methods(["GET", "POST"])
def rules(request: HttpRequest) -> HttpResponse:
    """The rules in force with a form to add one; POST adds it at the end."""
    if request.method != "POST":
        return _rules_page(request)
    form = RuleForm(request.POST)
    if not form.is_valid():
        return _rules_page(request, rule_form=form, code=422)
    try:
        services.rule_create(actor=acting_user(request), **form.cleaned_data)
    except DomainError as error:
        form.add_error(None, error_text(error))
        return _rules_page(request, rule_form=form, code=error.status_code)
    messages.success(request, _("The rule is added."))
    return redirect("moderation:rules")


def _live_rule(rule_id: str) -> Rule:
    rule = (
        Rule.objects.filter(pk=rule_id, deleted_at__isnull=True).first()
        if parse_snowflake(rule_id)
        else None
    )
    if rule is None:
        raise NotFound("Record not found")
    return rule


@admins_only
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, rule_id: str) -> HttpResponse:
    rule = _live_rule(rule_id)
    initial = {"text": rule.text, "hint": rule.hint, "position": rule.position}
    form = RuleEditForm(request.POST or None, initial=initial)
    code = 200
    if request.method == "POST":
        code = 422
        if form.is_valid():
            try:
                services.rule_update(
                    actor=acting_user(request), rule_id=rule.pk, **form.cleaned_data
                )
            except DomainError as error:
                form.add_error(None, error_text(error))
                code = error.status_code
            else:
                messages.success(request, _("The rule is changed."))
                return redirect("moderation:rules")
    context = {"rule": rule, "form": form, "current": "rules"}
    return render(request, "moderation/rule_edit.html", context, status=code)


@admins_only
@require_POST
def rule_delete(request: HttpRequest, rule_id: str) -> HttpResponse:
    """Take a rule down; reports that cite it still show it."""
    services.rule_delete(actor=acting_user(request), rule_id=_live_rule(rule_id).pk)
    messages.success(request, _("The rule is taken down."))
    return redirect("moderation:rules")


@admins_only
@require_POST
def terms(request: HttpRequest) -> HttpResponse:
    form = TermsForm(request.POST)
    if not form.is_valid():
        return _rules_page(request, terms_form=form, code=422)
    try:
        services.terms_update(actor=acting_user(request), terms=form.cleaned_data["terms"])
    except DomainError as error:
        form.add_error(None, error_text(error))
        return _rules_page(request, terms_form=form, code=error.status_code)
    messages.success(request, _("The terms are saved."))
    return redirect("moderation:rules")


def _roles_page(
    request: HttpRequest, form: RoleForm | None = None, code: int = 200
) -> HttpResponse:
    context = {
        "staff": staff(actor=acting_user(request)),
        "form": form or RoleForm(initial={"role": StaffRole.MODERATOR}),
        "current": "roles",
    }
    return render(request, "moderation/roles.html", context, status=code)


@admins_only
@require_http_methods(["GET", "POST"])
def roles(request: HttpRequest) -> HttpResponse:
    """Who moderates; POST gives a teacher (by handle) a role, or takes it back (member)."""
    if request.method != "POST":
        return _roles_page(request)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _roles_page(request, form, 422)
    handle = form.cleaned_data["handle"].strip().removeprefix("@")
    profile = Profile.objects.filter(handle__iexact=handle, domain="").first()
    if profile is None or profile.user_id is None:
        form.add_error("handle", _("No one on this server has this handle."))
        return _roles_page(request, form, 422)
    try:
        services.role_set(
            actor=acting_user(request), account_id=profile.pk, role=form.cleaned_data["role"]
        )
    except DomainError as error:
        form.add_error(None, error_text(error))
        return _roles_page(request, form, error.status_code)
    messages.success(
        request,
        _("@%(handle)s is now: %(role)s.")
        % {"handle": profile.handle, "role": StaffRole(form.cleaned_data["role"]).label},
    )
    return redirect("moderation:roles")
