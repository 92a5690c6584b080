"""The Conversations page: the teacher's threads of direct posts, newest first; opening one
(marks it read, then shows the thread on the post's own page); deleting one for oneself.

Every form is a POST with CSRF that works without JavaScript (redirect back with a
message); with htmx, "Delete for me" takes the entry out in place. Another teacher's
conversation id answers 404 exactly like an unknown one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from staffroom.conversations import selectors, services
from staffroom.conversations.models import Conversation
from staffroom.core.exceptions import NotFound
from staffroom.posts.models import Status
from staffroom.profiles.models import Profile
from staffroom.profiles.selectors import own_profile
from staffroom.web.paging import paged

EXCERPT_CHARS = 160


@dataclass(frozen=True)
class Entry:
    """One conversation as the list draws it."""

    row: Conversation
    last: Status
    people: list[Profile]
    excerpt: str
    is_own_last: bool


def _entry(row: Conversation, viewer: Profile) -> Entry | None:
    last = row.last_status
    if last is None:
        return None
    # Behind a content warning, the warning only, never what it hides.
    text = last.spoiler_text or strip_tags(last.content).strip()
    return Entry(
        row=row,
        last=last,
        people=list(row.participants.all()),
        excerpt=Truncator(text).chars(EXCERPT_CHARS),
        is_own_last=last.account_id == viewer.pk,
    )


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


@login_required
@require_GET
def conversation_list(request: HttpRequest) -> HttpResponse:
    """`/conversations`: the teacher's conversations, newest last message first, paged."""
    viewer = own_profile(request)

    def fetch(**window: Any) -> list[Conversation]:
        return selectors.conversations_for(viewer, **window)

    page = paged(request, fetch, key=lambda row: row.last_status_id)
    entries = [entry for entry in (_entry(row, viewer) for row in page.rows) if entry]
    return render(request, "conversations/list.html", {"page": page, "entries": entries})


@login_required
@require_GET
def conversation_open(request: HttpRequest, conversation_id: str) -> HttpResponse:
    """`/conversations/<id>`: mark it read and show the thread, at its last message, on
    the post's page (which draws the whole thread as the teacher may see it)."""
    viewer = own_profile(request)
    try:
        row = selectors.conversation_get(viewer, conversation_id)
        services.conversation_mark_read(owner=viewer, conversation_id=row.pk)
    except NotFound as error:
        raise Http404 from error
    last = row.last_status
    if last is None:  # the selector never answers such a row
        raise Http404
    url = reverse("posts:status-detail", args=[last.account.acct, last.pk])
    return redirect(f"{url}#post-{last.pk}")


@login_required
@require_POST
def conversation_delete(request: HttpRequest, conversation_id: str) -> HttpResponse:
    """`POST /conversations/<id>/delete`: remove it for the teacher only (the posts stay,
    and so do the other people's conversations). 404 for another's or an unknown id."""
    viewer = own_profile(request)
    try:
        services.conversation_delete(owner=viewer, conversation_id=conversation_id)
    except NotFound as error:
        if _is_htmx(request):
            gone = {"notice": _("This conversation was removed already.")}
            return render(request, "conversations/_removed.html", gone, status=404)
        raise Http404 from error
    notice = _("Conversation removed from your list. The messages themselves stay.")
    if _is_htmx(request):
        return render(request, "conversations/_removed.html", {"notice": notice})
    messages.success(request, notice)
    return redirect("conversations:list")
