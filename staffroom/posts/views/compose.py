"""Writing: the composer page, and the author's edit and delete pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from staffroom.core.exceptions import DomainError, NotFound
from staffroom.media.cards import ready_cards
from staffroom.media.selectors import attachments_of_status
from staffroom.posts.forms import ComposeForm, EditForm
from staffroom.posts.models import Status
from staffroom.posts.services import status_delete, status_edit
from staffroom.posts.views._cards import post_card, status_url
from staffroom.posts.views._common import own_status_at, publish
from staffroom.profiles.selectors import own_profile
from staffroom.web.errors import domain_errors, error_text


@login_required
@require_http_methods(["GET", "POST"])
def compose(request: HttpRequest) -> HttpResponse:
    """`/compose`: write a post and choose who sees it. The same form sits on /home."""
    author = own_profile(request)

    def page(form: ComposeForm, status: int = 200) -> HttpResponse:
        return render(request, "posts/compose.html", {"form": form}, status=status)

    if request.method == "POST":
        return publish(request, author, ComposeForm(request.POST, request.FILES), page)
    return page(ComposeForm.for_author(author))


@login_required
@require_http_methods(["GET", "POST"])
def status_edit_page(request: HttpRequest, handle: str, status_id: str) -> HttpResponse:
    """`/@handle/<id>/edit`: the author changes the text, content warning or language,
    the attachments' alt text and transcripts, or removes attachments; every version of
    the text stays on the history page. Visibility is not editable: the people who
    could see the post have seen it."""
    editor = own_profile(request)
    status = own_status_at(handle, status_id, editor)
    initial = {
        "text": status.text,
        "spoiler_text": status.spoiler_text,
        "sensitive": status.sensitive,
        "language": status.language,
    }
    media = ready_cards(attachments_of_status(status.pk))
    form = EditForm(
        request.POST or None, initial=initial, language=status.language, attachments=media
    )
    code = 200
    if request.method == "POST":
        code = 422
        if form.is_valid():
            try:
                status_edit(
                    editor=editor,
                    status=status,
                    draft=form.draft(),
                    media_ids=form.kept_media_ids(),
                    media_changes=form.media_changes(),
                )
            except NotFound as error:
                raise Http404 from error
            except DomainError as error:
                form.add_error(None, error_text(error))
                code = error.status_code
            else:
                messages.success(request, _("Your post is updated."))
                return redirect(status_url(status))
    context = {"form": form, "card": post_card(editor, status)}
    return render(request, "posts/status_edit.html", context, status=code)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def status_delete_page(request: HttpRequest, handle: str, status_id: str) -> HttpResponse:
    """`/@handle/<id>/delete`: a confirmation page; POST deletes the post (replies to it
    stay in the conversation) and returns to the author's profile."""
    actor = own_profile(request)
    status: Status = own_status_at(handle, status_id, actor)
    if request.method == "POST":
        status_delete(actor=actor, status=status)
        messages.success(request, _("Your post is deleted."))
        return redirect(reverse("profiles:profile-detail", args=[actor.handle]))
    return render(request, "posts/status_delete.html", {"card": post_card(actor, status)})
