"""The follow control: one POST route for every action on another account."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staffroom.core.exceptions import DomainError, NotFound, ValidationFailed
from staffroom.graph import services
from staffroom.graph.forms import MuteForm, first_error
from staffroom.graph.models import Block, FollowRequest
from staffroom.graph.selectors import relationships
from staffroom.graph.views._common import (
    ACTIONS,
    CREATING,
    _is_htmx,
    control_options,
)
from staffroom.profiles.models import Profile
from staffroom.profiles.selectors import own_profile
from staffroom.web.errors import error_text


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
    viewer = own_profile(request)
    target = _target(viewer, profile_id, reachable=action in CREATING)
    try:
        message = _perform(action, viewer, target, request.POST)
    except NotFound as error:
        raise Http404 from error
    except DomainError as error:
        text = error_text(error)
        if _is_htmx(request):
            return _control_response(request, viewer, target, text, error.status_code)
        context = {"message": text, "back": _back(request, target, "")}
        return render(request, "graph/action_failed.html", context, status=error.status_code)
    if _is_htmx(request):
        return _control_response(request, viewer, target)
    messages.success(request, message)
    return redirect(_back(request, target, action))


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
        case "note":
            kept = services.account_note_set(
                actor=viewer, target=target, comment=str(data.get("comment", ""))
            )
            if kept:
                return _("Your private note on %(name)s is saved.") % {"name": name}
            return _("Your private note on %(name)s is removed.") % {"name": name}
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
        "endorse": (lambda: services.endorsement_create(actor=viewer, target=target),
                    _("%(name)s is now among the colleagues you recommend.")),
        "unendorse": (lambda: services.endorsement_delete(actor=viewer, target=target),
                      _("You no longer recommend %(name)s.")),
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
