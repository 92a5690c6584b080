"""Hashtag pages: Follow / Unfollow on a tag page (htmx swaps the button; without
JavaScript the form posts and comes back), and Settings → Followed hashtags (follow,
unfollow, feature and stop featuring). Every action calls `hashtags.services`, as the API
does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from staffroom.accounts.settings_sections import settings_sections
from staffroom.core.exceptions import DomainError, ValidationFailed
from staffroom.hashtags.forms import FeatureTagForm, TagNameForm
from staffroom.hashtags.models import FEATURED_TAGS_MAX
from staffroom.hashtags.selectors import (
    featured_tag_suggestions,
    featured_tags_with_uses,
    followed_tags,
    tag_panel,
)
from staffroom.hashtags.services import (
    featured_tag_add,
    featured_tag_remove,
    tag_follow,
    tag_unfollow,
)
from staffroom.posts.models import TAG_NAME_MAX_LENGTH, Tag
from staffroom.profiles.models import Profile
from staffroom.profiles.selectors import own_profile
from staffroom.web.errors import domain_errors, error_text, refused
from staffroom.web.paging import paged

SUGGESTIONS_SHOWN = 5


def _next_or(request: HttpRequest, fallback: str) -> str:
    url = request.POST.get("next", "")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return fallback


def _tag_action(request: HttpRequest, name: str, *, follow: bool) -> HttpResponse:
    viewer = own_profile(request)
    name = name[: TAG_NAME_MAX_LENGTH * 2]
    back = reverse("posts:tag", args=[name]) if name else reverse("hashtags:settings")
    try:
        if follow:
            tag_follow(actor=viewer, name=name)
        else:
            tag_unfollow(actor=viewer, name=name)
    except DomainError as error:
        return refused(request, error, _next_or(request, back))
    panel = tag_panel(viewer, name)
    if getattr(request, "htmx", False):
        context = {"panel": panel, "next": _next_or(request, back), "signed_in": True}
        return render(request, "hashtags/_follow.html", context)
    if follow:
        messages.success(request, _("You follow #%(name)s.") % {"name": panel.name})
    else:
        messages.success(request, _("You no longer follow #%(name)s.") % {"name": panel.name})
    return redirect(_next_or(request, back))


@login_required
@require_POST
def tag_follow_action(request: HttpRequest, name: str) -> HttpResponse:
    """`POST /tags/<name>/follow`: its public posts join the teacher's home feed."""
    return _tag_action(request, name, follow=True)


@login_required
@require_POST
def tag_unfollow_action(request: HttpRequest, name: str) -> HttpResponse:
    """`POST /tags/<name>/unfollow`."""
    return _tag_action(request, name, follow=False)


def _settings_page(
    request: HttpRequest,
    viewer: Profile,
    *,
    follow_form: TagNameForm | None = None,
    feature_form: TagNameForm | None = None,
    status: int = 200,
) -> HttpResponse:
    page = paged(request, lambda **kw: followed_tags(viewer, **kw), lambda row: row.pk)
    featured = featured_tags_with_uses(viewer)
    context: dict[str, Any] = {
        "sections": settings_sections(),
        "current_section": "hashtags",
        "page": page,
        "followed": [row.tag for row in page.rows],
        "featured": featured,
        "featured_max": FEATURED_TAGS_MAX,
        "can_feature": len(featured) < FEATURED_TAGS_MAX,
        "suggestions": featured_tag_suggestions(viewer, limit=SUGGESTIONS_SHOWN),
        "follow_form": follow_form or TagNameForm(prefix="follow"),
        "feature_form": feature_form or FeatureTagForm(prefix="feature"),
        "next": request.get_full_path(),
    }
    return render(request, "hashtags/settings.html", context, status=status)


@login_required
@require_GET
def hashtags_settings(request: HttpRequest) -> HttpResponse:
    """`/settings/hashtags`: the hashtags the teacher follows (each with Unfollow), a form
    to follow one, and the hashtags featured on their profile (add, from suggestions or by
    name, and remove)."""
    return _settings_page(request, own_profile(request))


def _submitted(
    request: HttpRequest, form: TagNameForm, run: Callable[[str], Tag], done: str
) -> tuple[TagNameForm, bool]:
    """Run `run` on the form's hashtag; the form with the reason when refused."""
    if not form.is_valid():
        return form, False
    try:
        tag = run(form.cleaned_data["name"])
    except ValidationFailed as error:
        form.add_error("name", error_text(error))
        return form, False
    messages.success(request, done % {"name": tag.name})
    return form, True


@login_required
@require_POST
def settings_follow(request: HttpRequest) -> HttpResponse:
    """`POST /settings/hashtags/follow`: follow the hashtag named in the form; an invalid
    name shows the page again with the reason (422)."""
    viewer = own_profile(request)
    form, done = _submitted(
        request,
        TagNameForm(request.POST, prefix="follow"),
        lambda name: tag_follow(actor=viewer, name=name),
        _("You follow #%(name)s."),
    )
    if done:
        return redirect("hashtags:settings")
    return _settings_page(request, viewer, follow_form=form, status=422)


@login_required
@require_POST
def featured_add(request: HttpRequest) -> HttpResponse:
    """`POST /settings/hashtags/featured`: feature a hashtag on the profile (a suggestion's
    button or the form); refused past the limit or for an invalid name (422)."""
    viewer = own_profile(request)
    form, done = _submitted(
        request,
        FeatureTagForm(request.POST, prefix="feature"),
        lambda name: featured_tag_add(actor=viewer, name=name).tag,
        _("#%(name)s is featured on your profile."),
    )
    if done:
        return redirect("hashtags:settings")
    return _settings_page(request, viewer, feature_form=form, status=422)


@login_required
@require_POST
@domain_errors
def featured_remove(request: HttpRequest, featured_id: str) -> HttpResponse:
    """`POST /settings/hashtags/featured/<id>/remove`: another teacher's is a 404."""
    featured_tag_remove(actor=own_profile(request), featured_tag_id=featured_id)
    messages.success(request, _("The hashtag is no longer featured on your profile."))
    return redirect("hashtags:settings")
