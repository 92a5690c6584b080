"""Site-wide pages: landing, home, error pages and the health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from staffroom.core.health import health_report
from staffroom.core.middleware import wants_json
from staffroom.profiles.models import Profile
from staffroom.streaming.stats import stats_summary
from staffroom.trends.selectors import trending_tags

HOME_TRENDING_TAGS = 5


def landing(request: HttpRequest) -> HttpResponse:
    """What Staffroom is, with the ways in; signed-in teachers go straight home."""
    if request.user.is_authenticated:
        return redirect("web:home")
    from staffroom.accounts.selectors import site_configuration

    return render(request, "web/landing.html", {"config": site_configuration()})


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    """`/about`, open to anyone: the server's rules (numbered, with their explanations) and
    terms (Markdown, sanitized), and how to report something."""
    from staffroom.accounts.selectors import site_configuration
    from staffroom.core.html import render_markdown
    from staffroom.moderation.selectors import rules_in_force

    context = {
        "rules": rules_in_force(),
        "terms_html": render_markdown(site_configuration().terms),
    }
    return render(request, "web/about.html", context)


ONBOARDING_OFFERED_SESSION_KEY = "onboarding_offered"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in teacher's start page: the composer, the profile completeness guide,
    then the home feed (posts from the people they follow, with "from educators like you"
    items mixed in; see timelines/views/feeds.py).

    A teacher who has neither finished nor skipped onboarding is sent to it, once per
    session: coming back here without finishing it shows home.
    """
    from staffroom.accounts.selectors import users_pending_approval_count
    from staffroom.posts.forms import ComposeForm
    from staffroom.profiles.completeness import profile_completeness
    from staffroom.timelines.views import home_feed

    profile = (
        Profile.objects.prefetch_related("terms").filter(user_id=int(request.user.pk or 0)).first()
    )
    offered = request.session.get(ONBOARDING_OFFERED_SESSION_KEY)
    if profile is not None and profile.onboarded_at is None and not offered:
        request.session[ONBOARDING_OFFERED_SESSION_KEY] = True
        return redirect("profiles:onboarding-goals")
    pending = users_pending_approval_count() if request.user.is_staff else 0
    completeness = profile_completeness(profile) if profile is not None else None
    context = {
        "pending_signups": pending,
        "completeness": completeness,
        # The composer posts to /compose, which shows the form again if the post is refused.
        "compose_form": ComposeForm.for_author(profile) if profile is not None else None,
        "trending_tags": trending_tags(limit=HOME_TRENDING_TAGS),
    }
    if profile is not None:
        context |= home_feed(request, profile)
    return render(request, "web/home.html", context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    report = {**health_report(), "streaming": stats_summary()}
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


def _error_page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if wants_json(request):
        return JsonResponse({"error": message}, status=status)
    context = {"status": status, "title": title, "message": message}
    return render(request, "errors/error.html", context, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(
        request,
        400,
        _("Bad request"),
        _("The request could not be understood. It may be malformed or too large."),
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(
        request, 403, _("Not allowed"), _("You do not have permission to see this page.")
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(
        request, 404, _("Page not found"), _("There is nothing here. Check the address.")
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error_page(
        request,
        500,
        _("Something went wrong"),
        _("The server could not finish your request. Please try again in a moment."),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Shown when a form arrives without a valid CSRF token (often a stale page)."""
    return _error_page(
        request,
        403,
        _("Please try again"),
        _(
            "This form had expired or came from another site, so nothing was saved. "
            "Reload the page and submit the form again."
        ),
    )
