"""The composer's upload routes: JSON for the page's script, behind the session and CSRF.

- `POST /media-upload` takes one file (`file`, optional `description`): 201 with the
  attachment when it is ready (images), 202 while a job processes it (audio, video,
  documents); the service's refusal with its status (413 for size, 422 otherwise, 429
  past the upload limit) and `{"error": "..."}` in the teacher's words.
- `GET /media-upload/<id>` the same JSON while the script waits (202 processing, 200
  ready, 422 failed, with the reason in `error`).
- `POST /media-upload/<id>/delete` removes an upload no post uses yet.

Only the uploader sees an upload here: anyone else's id is 404 like an unknown one.
Without script the composer sends its files with the post (posts/views/_common.py).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponseRedirect, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from staffroom.core.exceptions import NOT_FOUND, DomainError, NotFound, RateLimited
from staffroom.media.cards import media_card
from staffroom.media.models import MediaAttachment, MediaState
from staffroom.media.selectors import media_get_for_owner
from staffroom.media.services import (
    media_captions_clear,
    media_captions_set,
    media_delete,
    media_upload,
)
from staffroom.profiles.selectors import own_profile

_STATUS_BY_STATE = {MediaState.READY: 200, MediaState.PROCESSING: 202, MediaState.FAILED: 422}


def _error(error: DomainError) -> JsonResponse:
    response = JsonResponse({"error": error.message}, status=error.status_code)
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


def _answer(media: MediaAttachment, *, created: bool = False) -> JsonResponse:
    status = _STATUS_BY_STATE.get(MediaState(media.state), 200)
    if created and status == 200:
        status = 201
    return JsonResponse(media_card(media).as_json(), status=status)


@login_required
@require_POST
def upload_create(request: HttpRequest) -> JsonResponse:
    upload = request.FILES.get("file")
    if upload is None:
        return JsonResponse({"error": _("Choose a file to upload.")}, status=422)
    try:
        media = media_upload(
            owner=own_profile(request),
            upload=upload,
            description=request.POST.get("description"),
            process_now=None,
        )
    except DomainError as error:
        return _error(error)
    return _answer(media, created=True)


@login_required
@require_GET
def upload_detail(request: HttpRequest, media_id: str) -> JsonResponse:
    try:
        media = media_get_for_owner(media_id, own_profile(request))
    except NotFound:
        return JsonResponse({"error": NOT_FOUND}, status=404)
    return _answer(media)


@login_required
@require_POST
def upload_delete(request: HttpRequest, media_id: str) -> JsonResponse:
    owner = own_profile(request)
    try:
        media = media_get_for_owner(media_id, owner)
        media_delete(owner=owner, media=media)
    except DomainError as error:
        return _error(error)
    return JsonResponse({"id": str(media.pk), "deleted": True})


def _back(request: HttpRequest) -> HttpResponseRedirect:
    """To the page the form came from (the post's edit page), never off this site."""
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return HttpResponseRedirect(target)


@login_required
@require_POST
def captions_upload(request: HttpRequest, media_id: str) -> HttpResponseRedirect:
    """The edit page's captions form: a WebVTT file for one of the teacher's videos."""
    owner = own_profile(request)
    upload = request.FILES.get("file")
    try:
        media = media_get_for_owner(media_id, owner)
        if upload is None:
            messages.error(request, _("Choose a captions file (.vtt) to upload."))
            return _back(request)
        media_captions_set(
            owner=owner, media=media, upload=upload, language=request.POST.get("language", "")
        )
    except NotFound as error:
        raise Http404 from error
    except DomainError as error:
        messages.error(request, error.message)
        return _back(request)
    messages.success(request, _("The captions are added."))
    return _back(request)


@login_required
@require_POST
def captions_delete(request: HttpRequest, media_id: str) -> HttpResponseRedirect:
    owner = own_profile(request)
    try:
        media_captions_clear(owner=owner, media=media_get_for_owner(media_id, owner))
    except NotFound as error:
        raise Http404 from error
    messages.success(request, _("The captions are removed."))
    return _back(request)
