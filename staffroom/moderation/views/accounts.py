"""`/moderation/accounts/<id>`: an account's moderation state and history (reports,
actions, removed posts), with the forms that undo what was done: lift a limit or a
suspension, restore a removed post (and limit or suspend from here too)."""

from __future__ import annotations

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
from staffroom.moderation.selectors import AccountHistory, account_history
from staffroom.moderation.views._common import acting_user, moderators_only
from staffroom.moderation.views.forms_on_page import ActionForm, keep_typed
from staffroom.web.errors import error_text


def _action_forms(history: AccountHistory) -> list[ActionForm]:
    account = history.account

    def url(action: str) -> str:
        return reverse("moderation:account-action", args=[account.pk, action])

    to_person = _("Note to the person (they read it)")
    forms: list[ActionForm] = []
    if account.limited_at is None:
        forms.append(
            ActionForm("limit", url("limit"), _("Limit the account"), _("Limit"), to_person)
        )
    else:
        forms.append(
            ActionForm("unlimit", url("unlimit"), _("Lift the limit"), _("Lift limit"), to_person)
        )
    if account.suspended_at is None:
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
    else:
        forms.append(
            ActionForm(
                "unsuspend",
                url("unsuspend"),
                _("Lift the suspension"),
                _("Lift suspension"),
                to_person,
            )
        )
    forms.extend(
        ActionForm(
            f"restore-{status.pk}",
            url("restore"),
            _("Restore post %(id)s") % {"id": status.pk},
            _("Restore this post"),
            to_person,
            status_id=status.pk,
        )
        for status in history.removed_posts
    )
    return forms


def _account_page(
    request: HttpRequest,
    account_id: object,
    *,
    refused: tuple[str, str, str] | None = None,
    code: int = 200,
) -> HttpResponse:
    history = account_history(actor=acting_user(request), account_id=account_id)
    forms = _action_forms(history)
    if refused is not None:
        keep_typed(forms, *refused)
    restore_forms = {form.status_id: form for form in forms if form.key.startswith("restore-")}
    context: dict[str, Any] = {
        "account": history.account,
        "history": history,
        "account_forms": [form for form in forms if not form.key.startswith("restore-")],
        "removed": [(status, restore_forms.get(status.pk)) for status in history.removed_posts],
        "error": refused[2] if refused else "",
        "current": "queue",
    }
    return render(request, "moderation/account_detail.html", context, status=code)


@moderators_only
@require_GET
def account_detail(request: HttpRequest, account_id: str) -> HttpResponse:
    return _account_page(request, account_id)


DONE = {
    "limit": lambda: _("The account is limited and its owner told."),
    "unlimit": lambda: _("The limit is lifted and the account's owner told."),
    "suspend": lambda: _("The account is suspended and its owner told."),
    "unsuspend": lambda: _("The suspension is lifted and the account's owner told."),
    "restore": lambda: _("The post is restored and its author told."),
}


@moderators_only
@require_POST
def account_action(request: HttpRequest, account_id: str, action: str) -> HttpResponse:
    """`POST /moderation/accounts/<id>/<action>` with a note; `restore` takes one of the
    account's removed posts. A refusal shows the page again with the note kept."""
    if action not in DONE:
        raise Http404
    actor = acting_user(request)
    history = account_history(actor=actor, account_id=account_id)
    account = history.account
    form = NoteForm(request.POST)
    status_id = form.data.get("status", "")
    key = f"restore-{status_id}" if action == "restore" else action
    if not form.is_valid():
        reason = " ".join(str(error) for errors in form.errors.values() for error in errors)
        refused = (key, str(form.data.get("note", "")), reason)
        return _account_page(request, account.pk, refused=refused, code=422)
    note = form.cleaned_data["note"]
    try:
        if action == "restore":
            number = form.cleaned_data["status"]
            if number not in {status.pk for status in history.removed_posts}:
                raise Http404
            services.status_restore(actor=actor, status_id=number, note=note)
        else:
            act = {
                "limit": services.account_limit,
                "unlimit": services.account_unlimit,
                "suspend": services.account_suspend,
                "unsuspend": services.account_unsuspend,
            }[action]
            act(actor=actor, account_id=account.pk, note=note)
    except DomainError as error:
        refused = (key, note, error_text(error))
        return _account_page(request, account.pk, refused=refused, code=error.status_code)
    messages.success(request, DONE[action]())
    return redirect("moderation:account", account_id=account.pk)
