"""The teacher's own network pages, purpose lists, and a profile's public followers and
following."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from staffroom.core.ids import ascii_digits
from staffroom.graph import selectors, services
from staffroom.graph.forms import PurposeListForm, first_error
from staffroom.graph.models import ConnectionState
from staffroom.graph.selectors import Relationship
from staffroom.graph.views._common import (
    ASKED_SHOWN_MAX,
    PURPOSE_CHOICES,
    _network,
    _people,
    control_options,
    relationships_by_id,
)
from staffroom.profiles import views as profile_views
from staffroom.profiles.models import Profile
from staffroom.profiles.selectors import own_profile
from staffroom.profiles.viewer import viewer_profile
from staffroom.web.errors import action_failed, domain_errors
from staffroom.web.lookup import local_profile_or_404
from staffroom.web.paging import paged

# --- My network ----------------------------------------------------------------------------


@login_required
@require_GET
def followers_list(request: HttpRequest) -> HttpResponse:
    """`/network/followers`: who follows the teacher, each with follow-back and remove."""
    viewer = own_profile(request)
    page = paged(
        request,
        lambda **kw: selectors.followers_of(profile=viewer, viewer=viewer, **kw),
        lambda edge: edge.id,
    )
    people = _people(viewer, [edge.profile for edge in page.rows])
    return _network(
        request, "followers", "graph/followers.html", viewer=viewer, page=page, people=people
    )


@login_required
@require_GET
def following_list(request: HttpRequest) -> HttpResponse:
    """`/network/following`: whom the teacher follows, with each follow's purposes and a
    form to change them."""
    viewer = own_profile(request)
    page = paged(
        request,
        lambda **kw: selectors.following_of(profile=viewer, viewer=viewer, **kw),
        lambda edge: edge.id,
    )
    people = _people(viewer, [edge.profile for edge in page.rows])
    return _network(
        request, "following", "graph/following.html", viewer=viewer, page=page, people=people
    )


@login_required
@require_GET
def connections_list(request: HttpRequest) -> HttpResponse:
    """`/network/connections`: connections, and requests to connect both ways."""
    viewer = own_profile(request)
    page = paged(
        request,
        lambda **kw: selectors.connections_of(viewer=viewer, **kw),
        lambda connection: connection.pk,
    )
    asked = selectors.connections_of(
        viewer=viewer, state=ConnectionState.ASKED, limit=ASKED_SHOWN_MAX
    )

    def other(connection: Any) -> Profile:
        found: Profile = (
            connection.addressee if connection.requester_id == viewer.pk else connection.requester
        )
        return found

    incoming = [other(c) for c in asked if c.requester_id != viewer.pk]
    outgoing = [other(c) for c in asked if c.requester_id == viewer.pk]
    everyone = _people(viewer, [other(c) for c in page.rows] + incoming + outgoing)
    split = [len(page.rows), len(page.rows) + len(incoming)]
    return _network(
        request,
        "connections",
        "graph/connections.html",
        viewer=viewer,
        page=page,
        people=everyone[: split[0]],
        incoming=everyone[split[0] : split[1]],
        outgoing=everyone[split[1] :],
    )


@login_required
@require_GET
def requests_list(request: HttpRequest) -> HttpResponse:
    """`/network/requests`: follow requests waiting for the teacher's approval."""
    viewer = own_profile(request)
    page = paged(
        request,
        lambda **kw: selectors.follow_requests_for(viewer=viewer, **kw),
        lambda row: row.pk,
    )
    people = _people(viewer, [row.follower for row in page.rows])
    return _network(
        request, "requests", "graph/requests.html", viewer=viewer, page=page, people=people,
        is_locked=viewer.is_locked,
    )  # fmt: skip


# --- Purpose lists -------------------------------------------------------------------------


def _list_form_error(request: HttpRequest, form: PurposeListForm) -> HttpResponse:
    return action_failed(request, first_error(form), 422, reverse("graph:lists-list"))


def _done(request: HttpRequest, message: str, back: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(back)


# Where "Go back" leads when a list service refuses (`@domain_errors(back=...)`).
def _lists_page(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    return reverse("graph:lists-list")


def _list_page(request: HttpRequest, list_id: str) -> str:
    """The list's own page, or the lists page for an id that cannot name a list."""
    if not ascii_digits(list_id):
        return reverse("graph:lists-list")
    return reverse("graph:list-detail", args=[list_id])


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors(back=_lists_page)
def lists_list(request: HttpRequest) -> HttpResponse:
    """`/network/lists`: the teacher's purpose lists; POST creates one."""
    viewer = own_profile(request)
    form = PurposeListForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return _list_form_error(request, form)
        created = services.purpose_list_create(actor=viewer, **form.cleaned_data)
        message = _("List “%(title)s” created.") % {"title": created.title}
        return _done(request, message, reverse("graph:lists-list"))
    lists = selectors.purpose_lists_of(viewer=viewer)
    context = {
        "lists": lists,
        "form": form,
        "suggested": services.default_purpose_lists_for(viewer),
        "purpose_choices": PURPOSE_CHOICES,
        "network_section": "lists",
    }
    return render(request, "graph/lists.html", context)


@login_required
@require_POST
@domain_errors(back=_lists_page)
def lists_create_defaults(request: HttpRequest) -> HttpResponse:
    """`POST /network/lists/defaults`: create the lists offered from the teacher's goals."""
    created = services.purpose_lists_create_defaults(actor=own_profile(request))
    if not created:
        message = _("You already have every list we suggest.")
    else:
        message = _("Created: %(titles)s.") % {"titles": ", ".join(item.title for item in created)}
    return _done(request, message, reverse("graph:lists-list"))


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors(back=lambda request, list_id: reverse("graph:list-detail", args=[int(list_id)]))
def list_detail(request: HttpRequest, list_id: str) -> HttpResponse:
    """`/network/lists/<id>`: one list, its settings (POST changes them) and its members.
    404 for another person's or an unknown list."""
    viewer = own_profile(request)
    found = selectors.purpose_list_get(viewer=viewer, list_id=list_id)
    here = reverse("graph:list-detail", args=[found.pk])
    if request.method == "POST":
        form = PurposeListForm(request.POST)
        if not form.is_valid():
            return action_failed(request, first_error(form), 422, here)
        saved = services.purpose_list_update(actor=viewer, list_id=found.pk, **form.cleaned_data)
        return _done(request, _("List “%(title)s” saved.") % {"title": saved.title}, here)
    page = paged(
        request,
        lambda **kw: selectors.purpose_list_members(viewer=viewer, list_id=found.pk, **kw),
        lambda profile: profile.pk,
    )
    initial = {"title": found.title, "purpose": found.purpose, "exclusive": found.exclusive}
    context = {
        "list": found,
        "form": PurposeListForm(initial=initial),
        "page": page,
        "people": _people(None, page.rows),
        "purpose_choices": PURPOSE_CHOICES,
        "network_section": "lists",
    }
    return render(request, "graph/list_detail.html", context)


@login_required
@require_POST
@domain_errors(back=_lists_page)
def list_delete(request: HttpRequest, list_id: str) -> HttpResponse:
    """`POST /network/lists/<id>/delete`: delete a list (never the follows)."""
    viewer = own_profile(request)
    title = selectors.purpose_list_get(viewer=viewer, list_id=list_id).title
    services.purpose_list_delete(actor=viewer, list_id=list_id)
    return _done(request, _("List “%(title)s” deleted.") % {"title": title}, _lists_page(request))


@login_required
@require_POST
@domain_errors(back=_list_page)
def list_member_remove(request: HttpRequest, list_id: str) -> HttpResponse:
    """`POST /network/lists/<id>/remove`: take one account (`account_id`) out of a list."""
    services.purpose_list_remove_accounts(
        actor=own_profile(request),
        list_id=list_id,
        profile_ids=[request.POST.get("account_id", "")],
    )
    return _done(request, _("Removed from the list."), _list_page(request, list_id))


# --- A profile's followers and following (public) ------------------------------------------


def _profile_follows(request: HttpRequest, handle: str, kind: str) -> HttpResponse:
    profile = local_profile_or_404(handle, request.user)
    viewer = viewer_profile(request)
    select = selectors.followers_of if kind == "followers" else selectors.following_of
    page = paged(
        request,
        lambda **kw: select(profile=profile, viewer=viewer, **kw),
        lambda edge: edge.id,
    )
    is_owner = viewer is not None and viewer.pk == profile.pk
    context = {
        "profile": profile,
        "card": profile_views.profile_display(profile),
        "kind": kind,
        "page": page,
        "people": _people(viewer, [edge.profile for edge in page.rows]),
        "is_hidden": profile.hide_follows and not is_owner,
        "next": request.get_full_path(),
        "viewer": viewer,
        **control_options(viewer),
    }
    return render(request, "graph/profile_follows.html", context)


@require_GET
def profile_followers(request: HttpRequest, handle: str) -> HttpResponse:
    """`/@handle/followers`: empty with a note when the owner hides their follow lists
    (they still see theirs); 404 when a block stands between the viewer and the profile."""
    return _profile_follows(request, handle, "followers")


@require_GET
def profile_following(request: HttpRequest, handle: str) -> HttpResponse:
    """`/@handle/following`: the same rules as the followers page."""
    return _profile_follows(request, handle, "following")


@login_required
@require_GET
def network_index(request: HttpRequest) -> HttpResponse:
    """`/network`: the following page is where a teacher's network starts."""
    return redirect("graph:following-list")


__all__ = ["Relationship", "control_options", "relationships_by_id"]
