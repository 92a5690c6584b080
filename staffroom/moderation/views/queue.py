"""The moderators' pages around reports: the queue (`/moderation`, open or resolved,
newest first) and one report (`/moderation/reports/<id>`) with the posts as reported, the
account's history and the actions, each a POST form with a note to the person."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from staffroom.core.exceptions import DomainError
from staffroom.moderation import services
from staffroom.moderation.forms import NoteForm
from staffroom.moderation.models import Report, ReportedPost
from staffroom.moderation.selectors import account_history, report_for_moderator, reports_queue
from staffroom.moderation.views._common import acting_user, keep_query, moderators_only
from staffroom.moderation.views.forms_on_page import ActionForm, keep_typed
from staffroom.web.errors import error_text
from staffroom.web.paging import paged

RESOLVED_TAB = "resolved"


@moderators_only
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    actor = acting_user(request)
    resolved = request.GET.get("tab") == RESOLVED_TAB
    page = paged(
        request,
        lambda **window: reports_queue(actor=actor, resolved=resolved, **window),
        key=lambda report: report.pk,
    )
    keep_query(page, tab=RESOLVED_TAB if resolved else "")
    context = {"page": page, "resolved": resolved, "current": "queue"}
    return render(request, "moderation/queue.html", context)


@dataclass
class PostAsReported:
    """A reported post as it was, and what became of it since."""

    snapshot: ReportedPost
    deleted: bool
    removed: bool
    edited_since: bool


def _posts_as_reported(report: Report) -> list[PostAsReported]:
    rows = []
    for snapshot in report.posts.all():
        status = snapshot.status
        rows.append(
            PostAsReported(
                snapshot=snapshot,
                deleted=status is None,
                removed=status is not None and status.removed_at is not None,
                edited_since=status is not None
                and status.edited_at is not None
                and status.edited_at != snapshot.edited_at,
            )
        )
    return rows


def _action_forms(report: Report, posts: list[PostAsReported]) -> list[ActionForm]:
    def url(action: str) -> str:
        return reverse("moderation:report-action", args=[report.pk, action])

    to_person = _("Note to the person (they read it; never who reported)")
    forms: list[ActionForm] = []
    if report.is_open:
        forms.append(
            ActionForm(
                "dismiss",
                url("dismiss"),
                _("Dismiss the report"),
                _("Dismiss"),
                _("Note for the log (the reported person is not told)"),
            )
        )
    else:
        forms.append(
            ActionForm(
                "reopen", url("reopen"), _("Reopen the report"), _("Reopen"), _("Note for the log")
            )
        )
    for row in posts:
        status = row.snapshot.status
        if status is None or row.removed:
            continue
        number = row.snapshot.original_id
        forms.append(
            ActionForm(
                f"remove-{number}",
                url("remove"),
                _("Remove post %(id)s") % {"id": number},
                _("Remove this post"),
                to_person,
                status_id=number,
                danger=True,
            )
        )
        if not status.sensitive:
            forms.append(
                ActionForm(
                    f"sensitive-{number}",
                    url("sensitive"),
                    _("Mark post %(id)s sensitive") % {"id": number},
                    _("Mark sensitive"),
                    to_person,
                    status_id=number,
                )
            )
    if report.target is None:  # the account was deleted since: no account actions
        return forms
    if report.target.limited_at is None:
        forms.append(
            ActionForm("limit", url("limit"), _("Limit the account"), _("Limit"), to_person)
        )
    if report.target.suspended_at is None:
        forms.append(
            ActionForm(
                "suspend",
                url("suspend"),
                _("Suspend the account"),
                _("Suspend"),
                to_person,
                danger=True,
            )
        )
    return forms


def _report_page(
    request: HttpRequest,
    report: Report,
    *,
    refused: tuple[str, str, str] | None = None,
    code: int = 200,
) -> HttpResponse:
    """The report page; `refused` (form key, note typed, reason) shows a refused action's
    form again with its note."""
    history = (
        account_history(actor=acting_user(request), account_id=report.target_id)
        if report.target_id is not None
        else None
    )
    posts = _posts_as_reported(report)
    forms = _action_forms(report, posts)
    if refused is not None:
        keep_typed(forms, *refused)
    context: dict[str, Any] = {
        "report": report,
        "posts": posts,
        "history": history,
        "earlier_reports": [other for other in history.reports if other.pk != report.pk]
        if history
        else [],
        "action_forms": forms,
        "error": refused[2] if refused else "",
        "current": "queue",
    }
    return render(request, "moderation/report_detail.html", context, status=code)


@moderators_only
@require_GET
def report_detail(request: HttpRequest, report_id: str) -> HttpResponse:
    report = report_for_moderator(actor=acting_user(request), report_id=report_id)
    return _report_page(request, report)


DONE = {
    "dismiss": lambda: _("The report is dismissed."),
    "reopen": lambda: _("The report is open again."),
    "remove": lambda: _("The post is removed and its author told, with your note."),
    "sensitive": lambda: _("The post is marked sensitive and its author told."),
    "limit": lambda: _("The account is limited and its owner told."),
    "suspend": lambda: _("The account is suspended and its owner told."),
}


@moderators_only
@require_POST
def report_action(request: HttpRequest, report_id: str, action: str) -> HttpResponse:
    """`POST /moderation/reports/<id>/<action>` (dismiss, reopen, remove, sensitive, limit,
    suspend) with a note; the post acted on must be one of the report's. A refusal (a
    note too long, an account the moderator does not outrank) shows the page again with
    the note kept and changes nothing."""
    if action not in DONE:
        raise Http404
    actor = acting_user(request)
    report = report_for_moderator(actor=actor, report_id=report_id)
    form = NoteForm(request.POST)
    status_id = form.data.get("status", "")
    key = f"{action}-{status_id}" if action in ("remove", "sensitive") else action
    if not form.is_valid():
        reason = " ".join(str(error) for errors in form.errors.values() for error in errors)
        note = str(form.data.get("note", ""))
        return _report_page(request, report, refused=(key, note, reason), code=422)
    note = form.cleaned_data["note"]
    try:
        if action == "dismiss":
            services.report_dismiss(actor=actor, report_id=report.pk, note=note)
        elif action == "reopen":
            services.report_reopen(actor=actor, report_id=report.pk, note=note)
        elif action in ("remove", "sensitive"):
            number = form.cleaned_data["status"]
            if number not in {post.original_id for post in report.posts.all()}:
                raise Http404
            on_post = (
                services.status_remove if action == "remove" else services.status_mark_sensitive
            )
            on_post(actor=actor, status_id=number, note=note, report_id=report.pk)
        else:
            if report.target_id is None:
                raise Http404
            on_account = services.account_limit if action == "limit" else services.account_suspend
            on_account(actor=actor, account_id=report.target_id, note=note, report_id=report.pk)
    except DomainError as error:
        report = report_for_moderator(actor=actor, report_id=report.pk)
        refused = (key, note, error_text(error))
        return _report_page(request, report, refused=refused, code=error.status_code)
    messages.success(request, DONE[action]())
    return redirect("moderation:report", report_id=report.pk)
