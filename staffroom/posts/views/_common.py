"""What the post pages share: the viewer, finding the post a URL names, publishing from
the composer, and how a domain error reads on a page."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from staffroom.core.exceptions import DomainError, NotFound
from staffroom.core.ids import parse_snowflake
from staffroom.media.cards import media_card
from staffroom.media.models import MediaAttachment
from staffroom.media.selectors import uploads_in_order
from staffroom.media.services import media_delete, media_upload, uploads_describe
from staffroom.posts.forms import ComposeForm
from staffroom.posts.models import Status
from staffroom.posts.selectors import status_get_for_viewer
from staffroom.posts.services import status_create
from staffroom.posts.templatetags.posts import viewer_timezone
from staffroom.posts.views._cards import status_url
from staffroom.profiles.models import Profile
from staffroom.scheduling.services import scheduled_status_create
from staffroom.web.errors import error_text, with_retry_after


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def status_at(handle: str, status_id: str, viewer: Profile | None) -> Status:
    """The post at `/@handle/<id>` as the viewer may see it.

    Http404 for an unknown id, a post the viewer may not see, and a handle that is not the
    author's: all three answer the same page, so a hidden post cannot be told from one
    that never existed (SECURITY-PLAN P-3)."""
    try:
        status = status_get_for_viewer(status_id, viewer)
    except NotFound as error:
        raise Http404 from error
    if status.account.acct.lower() != handle.lower():
        raise Http404
    return status


def own_status_at(handle: str, status_id: str, viewer: Profile) -> Status:
    """A post (never a reshare) for the author's own pages: edit and delete. Someone else's
    post the viewer may see answers 403; one they may not see, 404."""
    status = status_at(handle, status_id, viewer)
    if status.is_reblog:
        raise Http404
    if status.account_id != viewer.pk:
        raise Forbidden
    return status


def safe_next(request: HttpRequest) -> str | None:
    """The `next` field of a POST when it is a page of this site."""
    url = request.POST.get("next", "")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


def publish(
    request: HttpRequest,
    author: Profile,
    form: ComposeForm,
    rerender: Callable[[ComposeForm, int], HttpResponse],
    *,
    in_reply_to: Status | None = None,
) -> HttpResponse:
    """Post what the composer sent, then show the new post. A refused post re-renders the
    form (`rerender(form, status)`) with the text and the script's uploads kept: 422 for
    bad input, 413 for a file too large, 429 past a limit (with Retry-After); a reply to a
    post gone out of sight is a 404.

    The script's uploads get their alt text and transcripts first (the server may require
    them). Files sent with the form (no script) are uploaded and processed here, and
    deleted again if the post is refused: nothing is left half-written. With a time in
    "Schedule for later" the post is checked and scheduled instead, and the teacher lands on
    their scheduled posts."""
    if not form.is_valid():
        return _again(author, form, rerender, 422)
    scheduled_for = form.scheduled_for(viewer_timezone(request))
    uploads: list[MediaAttachment] = []
    try:
        uploads_describe(owner=author, changes=form.media_changes())
        for upload in form.cleaned_data["media_files"]:
            # One at a time, kept as each succeeds: a later refusal deletes the earlier ones.
            media = media_upload(
                owner=author,
                upload=upload,
                description=form.cleaned_data["media_description"],
                process_now=True,
            )
            uploads.append(media)
        media_ids = [*form.media_ids(), *(media.pk for media in uploads)]
        idempotency_key = form.cleaned_data["idempotency_key"] or None
        poll = form.poll_draft()
        if scheduled_for is not None:
            scheduled = scheduled_status_create(
                author=author,
                scheduled_at=scheduled_for,
                draft=form.draft(),
                visibility=form.cleaned_data["visibility"],
                in_reply_to=in_reply_to,
                idempotency_key=idempotency_key,
                media_ids=media_ids,
                poll=poll,
            )
        else:
            status = status_create(
                author=author,
                draft=form.draft(),
                visibility=form.cleaned_data["visibility"],
                in_reply_to=in_reply_to,
                idempotency_key=idempotency_key,
                media_ids=media_ids,
                poll=poll,
            )
    except NotFound as error:
        _discard(author, uploads)
        raise Http404 from error
    except DomainError as error:
        _discard(author, uploads)
        form.add_error(None, error_text(error))
        return with_retry_after(_again(author, form, rerender, error.status_code), error)
    if scheduled_for is not None:
        when = timezone.localtime(scheduled.scheduled_at, viewer_timezone(request))
        messages.success(
            request,
            _("Your post is scheduled for %(when)s; it waits here until then.")
            % {"when": formats.date_format(when, "DATETIME_FORMAT")},
        )
        return redirect(reverse("scheduling:list"))
    messages.success(request, _("Your post is published."))
    return redirect(status_url(status))


def _discard(author: Profile, uploads: list[MediaAttachment]) -> None:
    for media in uploads:
        media_delete(owner=author, media=media)


def _again(
    author: Profile,
    form: ComposeForm,
    rerender: Callable[[ComposeForm, int], HttpResponse],
    code: int,
) -> HttpResponse:
    """The composer again, with the uploads the script had attached still there."""
    ids = [found for value in form.media_ids() if (found := parse_snowflake(value))]
    form.pending_media = [media_card(media) for media in uploads_in_order(author, ids)]
    return rerender(form, code)
