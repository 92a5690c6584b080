"""Pages of the social graph: the follow control on profiles and directory cards, the
teacher's own network pages (followers, following, connections, requests, purpose lists),
blocks and mutes in the settings, and a profile's public follower and following pages.

Each view checks its input, calls one graph service or selector, and renders. Every action
is a POST form that works without JavaScript (redirecting back with a message); with htmx
it answers the control alone (`_control.html`), swapped in place. Domain errors become a
page (or the control) with the error's status: 404 for an account or list the teacher may
not see, 403 or 422 for refused input; nothing is changed then.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from staffroom.accounts.models import User
from staffroom.accounts.settings_sections import settings_sections
from staffroom.core.exceptions import DomainError, NotFound, ValidationFailed
from staffroom.graph import selectors, services
from staffroom.graph.forms import MuteForm, PurposeListForm, first_error
from staffroom.graph.models import Block, ConnectionState, FollowRequest
from staffroom.graph.selectors import Relationship, relationships
from staffroom.profiles import views as profile_views
from staffroom.profiles.models import Profile
from staffroom.profiles.selectors import profile_lookup

PAGE_SIZE = 20
PURPOSE_CHOICES = PurposeListForm.base_fields["purpose"].choices  # type: ignore[attr-defined]
ASKED_SHOWN_MAX = 80

# Actions that create something need a target the teacher may reach (in good standing, not
# blocking them); undoing works on any known account, so a block or mute never gets stuck.
CREATING = frozenset({"follow", "connect", "accept", "authorize", "block", "mute"})
UNDOING = frozenset(
    {"unfollow", "remove-follower", "reject", "decline", "disconnect", "unblock", "unmute"}
)
ACTIONS = CREATING | UNDOING | {"purposes"}


def _viewer(request: HttpRequest) -> Profile:
    user = request.user
    if not isinstance(user, User):  # login_required guarantees this
        raise TypeError("signed-in user expected")
    return Profile.objects.select_related("user").get(user=user)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


# --- The follow control --------------------------------------------------------------------


def control_options(viewer: Profile | None) -> dict[str, Any]:
    """What every follow control on a page shares: the viewer's purpose lists, or the default
    lists offered from their goals when they have none. No query for an anonymous viewer."""
    if viewer is None:
        return {"graph_lists": [], "graph_suggested": []}
    lists = selectors.purpose_lists_of(viewer=viewer)
    suggested = [] if lists else services.default_purpose_lists_for(viewer)
    return {"graph_lists": lists, "graph_suggested": suggested}


def relationships_by_id(viewer: Profile | None, profiles: Sequence[Profile]) -> dict[int, Any]:
    """The viewer's relationship with each profile, by id, in one batch (none when
    anonymous: the controls then say "Sign in to follow")."""
    if viewer is None:
        return {}
    return {rel.id: rel for rel in relationships(viewer=viewer, targets=list(profiles))}


def viewer_profile(request: HttpRequest) -> Profile | None:
    """The signed-in teacher's profile, or None for an anonymous visitor."""
    if not request.user.is_authenticated:
        return None
    return Profile.objects.filter(user_id=request.user.pk).first()


def _control_response(
    request: HttpRequest, viewer: Profile, target: Profile, error: str = "", status: int = 200
) -> HttpResponse:
    [rel] = relationships(viewer=viewer, targets=[target])
    context = {
        "target": target,
        "rel": rel,
        "next": _next_from(request) or "",
        "error": error,
        **control_options(viewer),
    }
    return render(request, "graph/_control.html", context, status=status)


def _target(viewer: Profile, profile_id: int, *, reachable: bool) -> Profile:
    if not 0 < profile_id < 2**63:
        raise Http404
    profiles = Profile.objects.filter(pk=profile_id)
    if reachable:
        blockers = Block.objects.filter(blocked=viewer).values("blocker_id")
        profiles = profiles.filter(pk__in=Profile.objects.in_good_standing()).exclude(
            pk__in=blockers
        )
    target = profiles.select_related("user").first()
    if target is None:
        raise Http404
    return target


def _next_from(request: HttpRequest) -> str | None:
    url = request.POST.get("next", "")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


def _back(request: HttpRequest, target: Profile, action: str) -> str:
    if action == "block":  # the blocked profile is hidden from now on, its page a 404
        return reverse("graph:blocks-list")
    if (url := _next_from(request)) is not None:
        return url
    if target.is_local:
        return reverse("profiles:profile-detail", args=[target.handle])
    return reverse("graph:following-list")


@login_required
@require_POST
def account_action(request: HttpRequest, profile_id: int, action: str) -> HttpResponse:
    """`POST /network/accounts/<id>/<action>`: follow, unfollow, connect, block, mute, ...

    Without htmx, redirects back (`next`) with a message; with htmx, answers the control.
    404 for an unknown action or account, or one that blocks the teacher; a refused action
    is shown with its status (403, 422) and changes nothing.
    """
    if action not in ACTIONS:
        raise Http404
    viewer = _viewer(request)
    target = _target(viewer, profile_id, reachable=action in CREATING)
    try:
        message = _perform(action, viewer, target, request.POST)
    except NotFound as error:
        raise Http404 from error
    except DomainError as error:
        text = _message(error)
        if _is_htmx(request):
            return _control_response(request, viewer, target, text, error.status_code)
        context = {"message": text, "back": _back(request, target, "")}
        return render(request, "graph/action_failed.html", context, status=error.status_code)
    if _is_htmx(request):
        return _control_response(request, viewer, target)
    messages.success(request, message)
    return redirect(_back(request, target, action))


def _message(error: DomainError) -> str:
    text = error.message.removeprefix("Validation failed: ")
    return text[:1].upper() + text[1:]


def _perform(action: str, viewer: Profile, target: Profile, data: QueryDict) -> str:
    """Run one action through its service; returns the message to show."""
    name = target.name_for_display
    match action:
        case "follow":
            return _follow(viewer, target, data)
        case "purposes":
            services.follow_set_purposes(
                actor=viewer, target=target, list_ids=data.getlist("purposes")
            )
            return _("Purposes for %(name)s saved.") % {"name": name}
        case "mute":
            return _mute(viewer, target, data)
    simple: dict[str, tuple[Callable[[], object], str]] = {
        "unfollow": (lambda: services.follow_delete(actor=viewer, target=target),
                     _("You no longer follow %(name)s.")),
        "remove-follower": (lambda: services.follower_remove(actor=viewer, follower=target),
                            _("%(name)s no longer follows you.")),
        "authorize": (lambda: services.follow_request_authorize(actor=viewer, requester=target),
                      _("%(name)s now follows you.")),
        "reject": (lambda: services.follow_request_reject(actor=viewer, requester=target),
                   _("You turned down %(name)s's follow request.")),
        "connect": (lambda: services.connection_ask(actor=viewer, target=target),
                    _("You asked %(name)s to connect.")),
        "accept": (lambda: services.connection_accept(actor=viewer, requester=target),
                   _("You are now connected with %(name)s.")),
        "decline": (lambda: services.connection_decline(actor=viewer, requester=target),
                    _("You declined %(name)s's request to connect.")),
        "disconnect": (lambda: services.connection_end(actor=viewer, target=target),
                       _("You are no longer connected with %(name)s.")),
        "block": (lambda: services.block_create(actor=viewer, target=target),
                  _("You blocked %(name)s.")),
        "unblock": (lambda: services.block_delete(actor=viewer, target=target),
                    _("You unblocked %(name)s.")),
        "unmute": (lambda: services.mute_delete(actor=viewer, target=target),
                   _("You unmuted %(name)s.")),
    }  # fmt: skip
    run, message = simple[action]
    run()
    return message % {"name": name}


@transaction.atomic
def _follow(viewer: Profile, target: Profile, data: QueryDict) -> str:
    """Follow with the chosen purposes; suggested default lists ticked (`new_list`, by
    title) are created first, in the same transaction, so a refused follow creates none."""
    purposes: list[int | str] = list(data.getlist("purposes"))
    titles = data.getlist("new_list")
    if titles:
        offered = {item.title: item for item in services.default_purpose_lists_for(viewer)}
        if any(title not in offered for title in titles):
            raise ValidationFailed(_("Choose among the lists offered."))
        for title in dict.fromkeys(titles):
            item = offered[title]
            created = services.purpose_list_create(
                actor=viewer, title=item.title, purpose=item.purpose
            )
            purposes.append(created.pk)
    result = services.follow_create(
        actor=viewer, target=target, purposes=purposes, quiet=data.get("quiet") == "on"
    )
    name = target.name_for_display
    if isinstance(result, FollowRequest):
        return _("You asked to follow %(name)s; they will decide.") % {"name": name}
    return _("You follow %(name)s.") % {"name": name}


def _mute(viewer: Profile, target: Profile, data: QueryDict) -> str:
    form = MuteForm(data)
    if not form.is_valid():
        raise ValidationFailed(first_error(form))
    services.mute_create(
        actor=viewer,
        target=target,
        notifications=form.cleaned_data["notifications"],
        duration=form.cleaned_data["duration"] or None,
    )
    return _("You muted %(name)s.") % {"name": target.name_for_display}


# --- Paging by id (newest first, 20 a page) ------------------------------------------------


@dataclass
class Page:
    rows: list[Any]
    older_url: str = ""
    newer_url: str = ""


def _cursor(request: HttpRequest, name: str) -> int | None:
    try:
        value = int(request.GET.get(name, ""))
    except ValueError:
        return None
    return value if 0 < value < 2**63 else None


def _paged(
    request: HttpRequest, fetch: Callable[..., list[Any]], key: Callable[[Any], int]
) -> Page:
    """One page of `fetch(limit=, max_id=, min_id=)` with links to older and newer pages.
    Malformed cursors are ignored (the first page)."""
    max_id, min_id = _cursor(request, "max_id"), _cursor(request, "min_id")
    rows = fetch(limit=PAGE_SIZE + 1, max_id=None if min_id else max_id, min_id=min_id)
    if min_id:
        has_newer, has_older = len(rows) > PAGE_SIZE, True
        rows = rows[-PAGE_SIZE:]
    else:
        has_older, has_newer = len(rows) > PAGE_SIZE, max_id is not None
        rows = rows[:PAGE_SIZE]
    page = Page(rows)
    if rows and has_older:
        page.older_url = f"{request.path}?max_id={key(rows[-1])}"
    if rows and has_newer:
        page.newer_url = f"{request.path}?min_id={key(rows[0])}"
    elif not rows and max_id:
        page.newer_url = request.path
    return page


def _people(viewer: Profile | None, profiles: list[Profile], **extra: Any) -> list[dict[str, Any]]:
    """Cards for `profiles` with the viewer's relationship to each: one batch of queries."""
    prefetch_related_objects(profiles, "terms")
    rels = relationships_by_id(viewer, profiles)
    return [{**profile_views.profile_display(p), "rel": rels.get(p.pk), **extra} for p in profiles]


def _network(request: HttpRequest, section: str, template: str, **context: Any) -> HttpResponse:
    viewer = context.pop("viewer")
    context = {"network_section": section, "next": request.get_full_path(), **context}
    return render(request, template, {**control_options(viewer), **context})


# --- My network ----------------------------------------------------------------------------


@login_required
@require_GET
def followers_list(request: HttpRequest) -> HttpResponse:
    """`/network/followers`: who follows the teacher, each with follow-back and remove."""
    viewer = _viewer(request)
    page = _paged(
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
    viewer = _viewer(request)
    page = _paged(
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
    viewer = _viewer(request)
    page = _paged(
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
    viewer = _viewer(request)
    page = _paged(
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
    return _failed(request, first_error(form), 422, reverse("graph:lists-list"))


def _failed(request: HttpRequest, message: str, status: int, back: str) -> HttpResponse:
    context = {"message": message, "back": back}
    return render(request, "graph/action_failed.html", context, status=status)


def _list_write(request: HttpRequest, back: str, write: Callable[[], str]) -> HttpResponse:
    """Run a list service; a message and a redirect, or the error page with its status."""
    try:
        message = write()
    except NotFound as error:
        raise Http404 from error
    except DomainError as error:
        return _failed(request, _message(error), error.status_code, back)
    messages.success(request, message)
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def lists_list(request: HttpRequest) -> HttpResponse:
    """`/network/lists`: the teacher's purpose lists; POST creates one."""
    viewer = _viewer(request)
    form = PurposeListForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return _list_form_error(request, form)
        data = form.cleaned_data
        return _list_write(
            request,
            reverse("graph:lists-list"),
            lambda: (
                _("List “%(title)s” created.")
                % {"title": services.purpose_list_create(actor=viewer, **data).title}
            ),
        )
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
def lists_create_defaults(request: HttpRequest) -> HttpResponse:
    """`POST /network/lists/defaults`: create the lists offered from the teacher's goals."""
    viewer = _viewer(request)

    def write() -> str:
        created = services.purpose_lists_create_defaults(actor=viewer)
        if not created:
            return _("You already have every list we suggest.")
        return _("Created: %(titles)s.") % {"titles": ", ".join(item.title for item in created)}

    return _list_write(request, reverse("graph:lists-list"), write)


@login_required
@require_http_methods(["GET", "POST"])
def list_detail(request: HttpRequest, list_id: str) -> HttpResponse:
    """`/network/lists/<id>`: one list, its settings (POST changes them) and its members.
    404 for another person's or an unknown list."""
    viewer = _viewer(request)
    try:
        found = selectors.purpose_list_get(viewer=viewer, list_id=list_id)
    except NotFound as error:
        raise Http404 from error
    here = reverse("graph:list-detail", args=[found.pk])
    if request.method == "POST":
        form = PurposeListForm(request.POST)
        if not form.is_valid():
            return _failed(request, first_error(form), 422, here)
        return _list_write(
            request,
            here,
            lambda: (
                _("List “%(title)s” saved.")
                % {
                    "title": services.purpose_list_update(
                        actor=viewer, list_id=found.pk, **form.cleaned_data
                    ).title
                }
            ),
        )
    page = _paged(
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
def list_delete(request: HttpRequest, list_id: str) -> HttpResponse:
    """`POST /network/lists/<id>/delete`: delete a list (never the follows)."""
    viewer = _viewer(request)

    def write() -> str:
        title = selectors.purpose_list_get(viewer=viewer, list_id=list_id).title
        services.purpose_list_delete(actor=viewer, list_id=list_id)
        return _("List “%(title)s” deleted.") % {"title": title}

    return _list_write(request, reverse("graph:lists-list"), write)


@login_required
@require_POST
def list_member_remove(request: HttpRequest, list_id: str) -> HttpResponse:
    """`POST /network/lists/<id>/remove`: take one account (`account_id`) out of a list."""
    viewer = _viewer(request)
    back = reverse("graph:list-detail", args=[list_id]) if list_id.isdigit() else ""

    def write() -> str:
        services.purpose_list_remove_accounts(
            actor=viewer, list_id=list_id, profile_ids=[request.POST.get("account_id", "")]
        )
        return _("Removed from the list.")

    return _list_write(request, back or reverse("graph:lists-list"), write)


# --- Settings: blocks and mutes ------------------------------------------------------------


@login_required
@require_GET
def blocks_list(request: HttpRequest) -> HttpResponse:
    """`/settings/blocks`: whom the teacher blocks, each with Unblock."""
    viewer = _viewer(request)
    page = _paged(
        request, lambda **kw: selectors.blocks_of(viewer=viewer, **kw), lambda row: row.pk
    )
    people = _people(None, [row.blocked for row in page.rows])
    context = {
        "sections": settings_sections(),
        "current_section": "blocks",
        "page": page,
        "people": people,
        "next": request.get_full_path(),
    }
    return render(request, "graph/blocks.html", context)


@login_required
@require_GET
def mutes_list(request: HttpRequest) -> HttpResponse:
    """`/settings/mutes`: whom the teacher mutes now, until when, each with Unmute."""
    viewer = _viewer(request)
    page = _paged(request, lambda **kw: selectors.mutes_of(viewer=viewer, **kw), lambda row: row.pk)
    people = [
        {**card, "mute": row}
        for card, row in zip(
            _people(None, [row.muted for row in page.rows]), page.rows, strict=True
        )
    ]
    context = {
        "sections": settings_sections(),
        "current_section": "mutes",
        "page": page,
        "people": people,
        "next": request.get_full_path(),
    }
    return render(request, "graph/mutes.html", context)


# --- A profile's followers and following (public) ------------------------------------------


def _profile_follows(request: HttpRequest, handle: str, kind: str) -> HttpResponse:
    if "@" in handle:
        raise Http404
    try:
        profile = profile_lookup(handle, request.user)
    except NotFound as error:
        raise Http404 from error
    if not profile.is_local:
        raise Http404
    viewer = viewer_profile(request)
    select = selectors.followers_of if kind == "followers" else selectors.following_of
    page = _paged(
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


__all__ = ["Relationship", "control_options", "relationships_by_id", "viewer_profile"]
