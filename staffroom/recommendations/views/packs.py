"""Starter pack pages: the list (by subject and grade band), one pack (public and shareable,
with "Follow all"), and creating, editing and deleting a pack (its curator or an
administrator; anyone else gets 403).

"Follow all" may follow 150 accounts: the answer is a report of each (followed, request
sent, already followed, unavailable), rendered on the pack page; with htmx the button is
disabled and a status line says it is working until the report arrives.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from staffroom.core.exceptions import DomainError, NotFound, PermissionDenied
from staffroom.graph import selectors as graph_selectors
from staffroom.graph.views import relationships_by_id
from staffroom.profiles import taxonomy
from staffroom.profiles import views as profile_views
from staffroom.profiles.models import Profile
from staffroom.profiles.selectors import own_profile
from staffroom.profiles.viewer import viewer_profile
from staffroom.recommendations import packs, services
from staffroom.recommendations.forms import (
    PackFilterForm,
    PackFollowForm,
    PackForm,
    pack_form_groups,
    resolve_handles,
    unknown_handles_error,
)
from staffroom.recommendations.models import PACK_ACCOUNTS_MAX, StarterPack
from staffroom.recommendations.services import FollowOutcome, PackFields, PackFollowResult
from staffroom.recommendations.views._common import is_htmx
from staffroom.web.errors import action_failed, domain_errors, error_text

PACKS_SHOWN = 100

OUTCOME_LABELS = {
    FollowOutcome.FOLLOWED: gettext_lazy("Followed"),
    FollowOutcome.REQUESTED: gettext_lazy("Request sent"),
    FollowOutcome.ALREADY_FOLLOWING: gettext_lazy("Already following"),
    FollowOutcome.UNAVAILABLE: gettext_lazy("Unavailable"),
    FollowOutcome.SELF: gettext_lazy("That is you"),
}


def _labels(pack: StarterPack) -> dict[str, list[str]]:
    return {
        "subjects": [taxonomy.label_of(taxonomy.SUBJECTS, slug) for slug in pack.subjects],
        "bands": [str(taxonomy.BANDS[b][0]) for b in pack.grade_bands if b in taxonomy.BANDS],
    }


def pack_summaries(found: list[StarterPack]) -> list[dict[str, Any]]:
    """What a pack's entry in a list shows (the packs carry `member_count`)."""
    return [{"pack": pack, **_labels(pack)} for pack in found]


@require_http_methods(["GET"])
def pack_list(request: HttpRequest) -> HttpResponse:
    """`/packs[?subject=&band=]`: starter packs, most recently changed first. An unknown
    subject or band is a 400 with the form's message."""
    form = PackFilterForm(request.GET or None)
    status = 200
    subject = band = ""
    if form.is_bound:
        if form.is_valid():
            subject, band = form.cleaned_data["subject"], form.cleaned_data["band"]
        else:
            status = 400
    found = (
        list(
            packs.starter_packs(subject=subject, band=band, viewer=viewer_profile(request))[
                :PACKS_SHOWN
            ]
        )
        if status == 200
        else []
    )
    context = {"form": form, "packs": pack_summaries(found), "filtered": bool(subject or band)}
    return render(request, "recommendations/pack_list.html", context, status=status)


def _members(viewer: Profile | None, pack: StarterPack) -> list[dict[str, Any]]:
    members = packs.pack_members(pack, viewer)
    prefetch_related_objects(members, "terms")
    rels = relationships_by_id(viewer, members)
    return [{**profile_views.profile_display(p), "rel": rels.get(p.pk)} for p in members]


def _pack_context(request: HttpRequest, pack: StarterPack, **extra: Any) -> dict[str, Any]:
    viewer = viewer_profile(request)
    may_edit = False
    if viewer is not None:
        try:
            services.pack_for_editing(actor=viewer, pack_id=pack.pk)
            may_edit = True
        except PermissionDenied:
            may_edit = False
    return {
        "pack": pack,
        **_labels(pack),
        "curator": profile_views.profile_display(pack.curator),
        "members": _members(viewer, pack),
        "may_edit": may_edit,
        "lists": graph_selectors.purpose_lists_of(viewer=viewer) if viewer else [],
        "follow_form": extra.pop("follow_form", None) or PackFollowForm(),
        **extra,
    }


@require_http_methods(["GET"])
@domain_errors
def pack_detail(request: HttpRequest, pack_id: int) -> HttpResponse:
    """`/packs/<id>`: a pack, public and shareable; "Follow all" for a signed-in teacher."""
    pack = packs.starter_pack_get(pack_id, viewer_profile(request))
    return render(request, "recommendations/pack_detail.html", _pack_context(request, pack))


def _follow_report(result: PackFollowResult) -> dict[str, Any]:
    counts = [
        {"outcome": outcome.value, "label": OUTCOME_LABELS[outcome], "count": result.count(outcome)}
        for outcome in FollowOutcome
        if outcome != FollowOutcome.SELF or result.count(outcome)
    ]
    rows = [
        {"card": profile_views.profile_display(p), "outcome": o.value, "label": OUTCOME_LABELS[o]}
        for p, o in result.outcomes
    ]
    return {"counts": counts, "rows": rows, "list_id": result.list_id}


@login_required
@require_POST
@domain_errors
def pack_follow(request: HttpRequest, pack_id: int) -> HttpResponse:
    """`POST /packs/<id>/follow`: follow every account in the pack, optionally into one of
    the teacher's purpose lists (`list_id`) or a new one (`new_list_title`,
    `new_list_purpose`). Answers the report; a bad list changes nothing (422)."""
    viewer = own_profile(request)
    pack = packs.starter_pack_get(pack_id, viewer_profile(request))
    form = PackFollowForm(request.POST)
    back = reverse("recommendations:pack", args=[pack.pk])
    if not form.is_valid():
        return _follow_refused(request, pack, form, _("Please check the list you chose."))
    try:
        result = services.starter_pack_follow(actor=viewer, pack=pack, **form.cleaned_data)
    except NotFound:
        return _follow_refused(request, pack, form, _("Choose one of your own lists."))
    except DomainError as error:
        return action_failed(request, error_text(error), error.status_code, back)
    context = _pack_context(request, pack, report=_follow_report(result))
    template = "_follow_done.html" if is_htmx(request) else "pack_detail.html"
    return render(request, f"recommendations/{template}", context)


def _follow_refused(
    request: HttpRequest, pack: StarterPack, form: PackFollowForm, message: str
) -> HttpResponse:
    if is_htmx(request):
        context = {"report": None, "error": message}
        return render(request, "recommendations/_follow_result.html", context, status=422)
    context = _pack_context(request, pack, follow_form=form, follow_error=message)
    return render(request, "recommendations/pack_detail.html", context, status=422)


def _save_pack(
    request: HttpRequest, viewer: Profile, form: PackForm, pack: StarterPack | None
) -> HttpResponse | None:
    """Resolve the handles and call the service; the redirect, or None with the errors on
    the form (nothing written)."""
    handles = form.handles()
    if len(handles) > PACK_ACCOUNTS_MAX:
        # The service counts first and says how many is too many; no lookups needed.
        ids: list[int | str] = list(handles)
    else:
        found, unknown = resolve_handles(handles, request.user)  # type: ignore[arg-type]
        if unknown:
            form.add_error("accounts", unknown_handles_error(unknown))
            return None
        ids = list(found)
    data = form.cleaned_data
    fields = PackFields(
        title=data["title"],
        description=data["description"],
        subjects=data["subjects"],
        grade_bands=data["grade_bands"],
        account_ids=ids,
    )
    try:
        if pack is None:
            saved = services.starter_pack_create(actor=viewer, fields=fields)
        else:
            saved = services.starter_pack_update(actor=viewer, pack_id=pack.pk, fields=fields)
    except DomainError as error:
        form.add_error(None, error_text(error))
        return None
    messages.success(request, _("Starter pack “%(title)s” saved.") % {"title": saved.title})
    return redirect("recommendations:pack", pack_id=saved.pk)


def _form_page(request: HttpRequest, form: PackForm, pack: StarterPack | None) -> HttpResponse:
    status = 422 if form.is_bound else 200
    context = {"form": form, "pack": pack, **pack_form_groups(form)}
    return render(request, "recommendations/pack_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def pack_create(request: HttpRequest) -> HttpResponse:
    """`/packs/new`: a new pack curated by the teacher."""
    viewer = own_profile(request)
    form = PackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _save_pack(request, viewer, form, None)
        if done is not None:
            return done
    return _form_page(request, form, None)


def _initial(pack: StarterPack) -> dict[str, Any]:
    members = packs.pack_members(pack, None)
    return {
        "title": pack.title,
        "description": pack.description,
        "subjects": pack.subjects,
        "grade_bands": pack.grade_bands,
        "accounts": "\n".join(f"@{member.acct}" for member in members),
    }


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def pack_edit(request: HttpRequest, pack_id: int) -> HttpResponse:
    """`/packs/<id>/edit`: change a pack (its curator or an administrator; 403 otherwise,
    404 for an unknown pack)."""
    viewer = own_profile(request)
    pack = services.pack_for_editing(actor=viewer, pack_id=pack_id)
    form = PackForm(request.POST or None, initial=_initial(pack))
    if request.method == "POST" and form.is_valid():
        done = _save_pack(request, viewer, form, pack)
        if done is not None:
            return done
    return _form_page(request, form, pack)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def pack_delete(request: HttpRequest, pack_id: int) -> HttpResponse:
    """`/packs/<id>/delete`: GET asks to confirm, POST deletes (the follows stay)."""
    viewer = own_profile(request)
    pack = services.pack_for_editing(actor=viewer, pack_id=pack_id)
    if request.method == "POST":
        services.starter_pack_delete(actor=viewer, pack_id=pack.pk)
        messages.success(request, _("Starter pack “%(title)s” deleted.") % {"title": pack.title})
        return redirect("recommendations:pack-list")
    return render(request, "recommendations/pack_delete.html", {"pack": pack})
