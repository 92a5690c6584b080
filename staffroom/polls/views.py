"""Voting from a post's card: one POST route that works without JavaScript. It redirects
back with a message; a refused vote shows the "That did not work" page with Mastodon's
reason, and nothing is changed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staffroom.polls.forms import VoteForm
from staffroom.polls.selectors import poll_get_for_viewer, poll_view
from staffroom.polls.services import poll_vote
from staffroom.profiles.selectors import own_profile
from staffroom.web.errors import action_failed, domain_errors


def _post_url(request: HttpRequest, poll_id: str) -> str:
    url = request.POST.get("next", "")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("web:home")


@login_required
@require_POST
@domain_errors(back=_post_url)
def poll_vote_page(request: HttpRequest, poll_id: str) -> HttpResponse:
    """`POST /polls/<id>/vote` with `choices` (one, or several on a multiple-choice poll)."""
    viewer = own_profile(request)
    poll = poll_get_for_viewer(poll_id, viewer)
    form = VoteForm(request.POST, option_count=len(poll_view(poll).options))
    back = _post_url(request, poll_id)
    if not form.is_valid():
        return action_failed(request, _("Choose an answer first."), 422, back)
    poll_vote(voter=viewer, poll=poll, choices=form.cleaned_data["choices"])
    messages.success(request, _("Your vote is counted."))
    return redirect(back)
