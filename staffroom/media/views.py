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

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from staffroom.core.exceptions import NOT_FOUND, DomainError, NotFound, RateLimited
from staffroom.media.cards import media_card
from staffroom.media.models import MediaAttachment, MediaState
from staffroom.media.selectors import media_get_for_owner
from staffroom.media.services import media_delete, media_upload
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
