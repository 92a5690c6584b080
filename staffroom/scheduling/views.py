"""`/scheduled`: the teacher's scheduled posts, the next to be published first, each with a
form to change its time and a button to cancel it. Only the author ever sees them; another
teacher's id is a 404. Every action calls `scheduling.services`, as the API does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from staffroom.core.exceptions import ValidationFailed
from staffroom.media.models import MediaAttachment
from staffroom.posts.forms import VISIBILITY_HELP
from staffroom.posts.models import Visibility
from staffroom.posts.templatetags.posts import viewer_timezone
from staffroom.profiles.selectors import own_profile
from staffroom.scheduling.forms import RescheduleForm
from staffroom.scheduling.models import ScheduledStatus
from staffroom.scheduling.selectors import scheduled_media, scheduled_statuses_by_time
from staffroom.scheduling.services import (
    TOTAL_LIMIT,
    scheduled_status_delete,
    scheduled_status_reschedule,
)
from staffroom.web.errors import domain_errors, error_text


@dataclass
class ScheduledCard:
    row: ScheduledStatus
    text: str
    spoiler_text: str
    visibility: str
    visibility_help: str
    is_reply: bool
    media: list[MediaAttachment]
    form: RescheduleForm


def _cards(
    owner_rows: list[ScheduledStatus], zone: tzinfo, failed: RescheduleForm | None = None
) -> list[ScheduledCard]:
    media = scheduled_media(owner_rows)
    cards = []
    for row in owner_rows:
        ours = str(row.params.get("visibility") or Visibility.PUBLIC)
        visibility = Visibility(ours) if ours in Visibility.values else Visibility.PUBLIC
        form = RescheduleForm.for_time(row.scheduled_at, zone=zone, row_id=row.pk)
        if failed is not None and failed.row_id == str(row.pk):
            form = failed
        cards.append(
            ScheduledCard(
                row=row,
                text=row.params.get("text") or "",
                spoiler_text=row.params.get("spoiler_text") or "",
                visibility=str(visibility.label),
                visibility_help=str(VISIBILITY_HELP[visibility]),
                is_reply=bool(row.params.get("in_reply_to_id")),
                media=media[row.pk],
                form=form,
            )
        )
    return cards


def _page(
    request: HttpRequest, failed: RescheduleForm | None = None, status: int = 200
) -> HttpResponse:
    owner = own_profile(request)
    zone = viewer_timezone(request)
    rows = scheduled_statuses_by_time(owner, limit=TOTAL_LIMIT)
    context = {"cards": _cards(rows, zone, failed), "zone": zone}
    return render(request, "scheduling/list.html", context, status=status)


def _when(moment: datetime, zone: tzinfo) -> str:
    return formats.date_format(timezone.localtime(moment, zone), "DATETIME_FORMAT")


@login_required
@require_GET
def scheduled_list(request: HttpRequest) -> HttpResponse:
    """`/scheduled`: the posts waiting to be published (at most 300 of them)."""
    return _page(request)


@login_required
@require_POST
@domain_errors
def scheduled_reschedule(request: HttpRequest, scheduled_id: str) -> HttpResponse:
    """`POST /scheduled/<id>/time`: publish it at another time (the page again, 422, with
    the reason beside the form when the time is refused)."""
    zone = viewer_timezone(request)
    form = RescheduleForm(request.POST, zone=zone, row_id=scheduled_id)
    if form.is_valid():
        try:
            row = scheduled_status_reschedule(
                actor=own_profile(request),
                scheduled_status_id=scheduled_id,
                scheduled_at=form.chosen(),
            )
        except ValidationFailed as error:
            form.add_error("scheduled_at", error_text(error))
        else:
            messages.success(
                request,
                _("Your post will be published on %(when)s; nothing else changed.")
                % {"when": _when(row.scheduled_at, zone)},
            )
            return redirect("scheduling:list")
    return _page(request, failed=form, status=422)


@login_required
@require_POST
@domain_errors
def scheduled_cancel(request: HttpRequest, scheduled_id: str) -> HttpResponse:
    """`POST /scheduled/<id>/cancel`: it will not be published; its uploads stay yours
    until the sweep of unused uploads."""
    scheduled_status_delete(actor=own_profile(request), scheduled_status_id=scheduled_id)
    messages.success(request, _("Your scheduled post is cancelled: it will not be published."))
    return redirect("scheduling:list")
