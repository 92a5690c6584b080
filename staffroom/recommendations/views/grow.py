"""`/grow`, "Grow your PLN": explained suggestions for a purpose, "Not for me" (with an
undo), and starter packs for the teacher, curated or proposed by the engine.

Following goes through the graph's follow control (`/network/accounts/<id>/follow`), with
the purpose lists it accepts, so a follow from here is the same as one from a profile.
Every form works without JavaScript (a redirect back); with htmx, a card changes in place.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from staffroom.core.exceptions import ValidationFailed
from staffroom.core.ids import ascii_digits
from staffroom.core.pln import Purpose
from staffroom.graph.views import control_options
from staffroom.profiles import taxonomy
from staffroom.profiles import views as profile_views
from staffroom.profiles.models import Profile, TermKind
from staffroom.profiles.professional import profile_terms
from staffroom.profiles.selectors import own_profile
from staffroom.recommendations import packs, selectors, services
from staffroom.recommendations.models import Dismissal
from staffroom.recommendations.selectors import Suggestion
from staffroom.recommendations.views._common import is_htmx, reason_label
from staffroom.web.errors import action_failed, domain_errors, error_text

SUGGESTIONS_SHOWN = 20


def _purpose_param(raw: str) -> str:
    """The `purpose` to keep in links: a known one, else none."""
    return raw if raw in Purpose.values else ""


def grow_url(purpose: str = "", **extra: str) -> str:
    query = {"purpose": purpose, **extra} if purpose else extra
    url = reverse("recommendations:grow")
    return f"{url}?{urlencode(query)}" if query else url


def suggestion_cards(suggestions: list[Suggestion]) -> list[dict[str, Any]]:
    """What a suggestion card shows: the profile (with taxonomy labels), the sentence, and
    each reason with its kind in words. One query for every card's terms."""
    profiles = [item.profile for item in suggestions]
    prefetch_related_objects(profiles, "terms")
    return [
        {
            **profile_views.profile_display(item.profile),
            "reason": item.reason,
            "reasons": [
                {"label": reason_label(r.kind), "text": r.text, "percent": round(r.weight * 100)}
                for r in item.reasons
                if r.text
            ],
        }
        for item in suggestions
    ]


def _directory_url(terms: dict[str, list[str]]) -> str:
    query = {
        key: values[0]
        for key, values in (("subject", terms[TermKind.SUBJECT]), ("grade", terms[TermKind.GRADE]))
        if values
    }
    url = reverse("profiles:directory-list")
    return f"{url}?{urlencode(query)}" if query else url


def _dismissed_notice(viewer: Profile, raw: str) -> Profile | None:
    """The account just dismissed without JavaScript, for the notice with its "Undo"."""
    if not ascii_digits(raw) or len(raw) > 19:
        return None
    found = Dismissal.objects.filter(profile=viewer, dismissed_id=int(raw)).first()
    return found.dismissed if found is not None else None


# What each purpose favours, in a teacher's words (purposes.py says how).
PURPOSE_HINTS: dict[str, Promise] = {
    Purpose.RESOURCES: _lazy("Active sharers of resources and links in your subjects and grades."),
    Purpose.PRACTICES: _lazy(
        "Educators who post about the practices you work on, then those who list them."
    ),
    Purpose.INSPIRATION: _lazy("Widely followed educators, a little more in your subjects."),
    Purpose.SUPPORT: _lazy("Peers in your grade band and subject who like two-way relationships."),
    Purpose.MENTORSHIP: _lazy("Experienced educators who offer mentorship."),
}


def _purpose_tabs() -> list[dict[str, str]]:
    return [{"slug": "", "label": _("All")}] + [
        {"slug": value, "label": str(label)} for value, label in Purpose.choices
    ]


@login_required
@require_GET
def grow(request: HttpRequest) -> HttpResponse:
    """`/grow[?purpose=]`: suggestions for the teacher, best first, re-ranked for a
    purpose; starter packs for their subjects and grades. An unknown purpose is a 400 that
    says which purposes exist."""
    viewer = own_profile(request, with_terms=True)
    raw_purpose = request.GET.get("purpose", "")
    error = ""
    status = 200
    try:
        suggestions = selectors.suggestions_for(
            viewer, purpose=raw_purpose or None, limit=SUGGESTIONS_SHOWN
        )
    except ValidationFailed as refused:
        error, status, suggestions = error_text(refused), 400, []
    purpose = _purpose_param(raw_purpose)
    terms = profile_terms(viewer)
    context = {
        "tabs": _purpose_tabs(),
        "purpose": purpose,
        "purpose_error": error,
        "cards": suggestion_cards(suggestions),
        "needs_profile": not terms[TermKind.SUBJECT] and not terms[TermKind.GRADE],
        "purpose_hint": PURPOSE_HINTS.get(purpose, ""),
        # Without listed practices, nobody can be found for posting about them.
        "needs_practices": purpose == Purpose.PRACTICES and not terms[TermKind.PRACTICE],
        "directory_url": _directory_url(terms),
        "dismissed": _dismissed_notice(viewer, request.GET.get("dismissed", "")),
        "packs": packs.packs_for(viewer),
        "proposals": packs.proposals_for(viewer),
        "next": request.get_full_path(),
        **_lists_for_purpose_first(control_options(viewer), purpose),
    }
    return render(request, "recommendations/grow.html", context, status=status)


def _lists_for_purpose_first(options: dict[str, Any], purpose: str) -> dict[str, Any]:
    """The follow controls' purpose lists with those for the tab's purpose first, so
    "Follow into list" on the Mentorship tab files into a mentorship list unless changed."""
    if not purpose:
        return options
    return {
        key: sorted(items, key=lambda item: item.purpose != purpose)  # stable: order kept
        for key, items in options.items()
    }


def _target(profile_id: int) -> Profile:
    if not 0 < profile_id < 2**63:
        raise Http404
    found = Profile.objects.filter(pk=profile_id).first()
    if found is None:
        raise Http404
    return found


@login_required
@require_POST
@domain_errors(
    back=lambda request, profile_id: grow_url(_purpose_param(request.POST.get("purpose", "")))
)
def suggestion_dismiss(request: HttpRequest, profile_id: int) -> HttpResponse:
    """`POST /grow/accounts/<id>/dismiss`: "Not for me". With htmx the card becomes a
    notice with "Undo"; without, back to /grow, which shows the same notice."""
    viewer = own_profile(request)
    purpose = _purpose_param(request.POST.get("purpose", ""))
    services.suggestion_dismiss(actor=viewer, target_id=profile_id)
    target = _target(profile_id)
    if is_htmx(request):
        context = {"account": target, "purpose": purpose}
        return render(request, "recommendations/_dismissed.html", context)
    return redirect(grow_url(purpose, dismissed=str(target.pk)))


@login_required
@require_POST
def suggestion_undismiss(request: HttpRequest, profile_id: int) -> HttpResponse:
    """`POST /grow/accounts/<id>/undismiss`: take back a "Not for me". With htmx the card
    comes back when the account is still among the suggestions for the purpose."""
    viewer = own_profile(request)
    purpose = _purpose_param(request.POST.get("purpose", ""))
    target = _target(profile_id)
    services.suggestion_undismiss(actor=viewer, target_id=target.pk)
    if not is_htmx(request):
        messages.success(
            request,
            _("%(name)s may be suggested to you again.") % {"name": target.name_for_display},
        )
        return redirect(grow_url(purpose))
    found = [
        item
        for item in selectors.suggestions_for(
            viewer, purpose=purpose or None, limit=selectors.LIMIT_MAX
        )
        if item.profile.pk == target.pk
    ]
    context: dict[str, Any] = {
        "account": target,
        "purpose": purpose,
        "next": grow_url(purpose),
        **control_options(viewer),
    }
    if found:
        context["card"] = suggestion_cards(found)[0]
        return render(request, "recommendations/_suggestion.html", context)
    return render(request, "recommendations/_restored.html", context)


@login_required
@require_POST
@domain_errors(back=lambda request: grow_url())
def proposal_save(request: HttpRequest) -> HttpResponse:
    """`POST /grow/proposals`: save the engine's proposal for a subject and grade band
    (`subject`, `band`) as a starter pack the teacher curates, then edit it."""
    viewer = own_profile(request)
    subject, band = request.POST.get("subject", ""), request.POST.get("band", "")
    known = subject in taxonomy.SUBJECT_SLUGS and band in taxonomy.BANDS
    found = packs.proposal(subject, band, viewer) if known else None
    if found is None:
        message = _("That proposal is no longer available.")
        return action_failed(request, message, 404, grow_url())
    fields = services.PackFields(
        title=found.title,
        description=found.reason,
        subjects=[found.subject],
        grade_bands=[found.band],
        account_ids=[member.pk for member in found.members],
    )
    pack = services.starter_pack_create(actor=viewer, fields=fields)
    messages.success(
        request,
        _("Starter pack “%(title)s” saved. Review it and share it.") % {"title": pack.title},
    )
    return redirect("recommendations:pack-edit", pack_id=pack.pk)
