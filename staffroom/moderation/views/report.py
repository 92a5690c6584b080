"""The report form (`/reports/new?account=<id>&status=<id>`) and its thank-you page.

A teacher reports an account and, optionally, some of its recent posts they can see; the
post they came from is ticked already. The service checks everything again (the posts are
the account's and visible to the reporter, the rules are in force, the limits), so a
tampered form gets the same clear refusal as a mistaken one, and nothing is written."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from staffroom.core.exceptions import DomainError, NotFound
from staffroom.core.html import plain_text
from staffroom.core.ids import parse_snowflake
from staffroom.moderation.forms import ReportForm
from staffroom.moderation.models import ReportCategory
from staffroom.moderation.services import live_rules, report_create
from staffroom.posts.models import Status
from staffroom.posts.selectors import account_statuses, status_get_for_viewer
from staffroom.profiles.models import Profile
from staffroom.profiles.selectors import own_profile, profile_get_for_viewer
from staffroom.web.errors import domain_errors, error_text

RECENT_POSTS = 40
POST_LABEL_CHARS = 140


def _post_label(status: Status) -> str:
    text = plain_text(status.content) or status.spoiler_text or "…"
    when = status.created_at.strftime("%Y-%m-%d")
    return f"{when}: {Truncator(text).chars(POST_LABEL_CHARS)}"


def _reportable_posts(target: Profile, viewer: Profile, wanted: str) -> list[Status]:
    """The account's recent posts the reporter can see, with the one they came from (even
    an older one) first."""
    posts = account_statuses(
        account=target, viewer=viewer, limit=RECENT_POSTS, exclude_reblogs=True
    )
    if wanted and not any(str(post.pk) == wanted for post in posts):
        try:
            given = status_get_for_viewer(wanted, viewer)
        except NotFound:
            return posts
        if given.account_id == target.pk and given.reblog_of_id is None:
            posts.insert(0, given)
    return posts


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def report_new(request: HttpRequest) -> HttpResponse:
    reporter = own_profile(request)
    target = profile_get_for_viewer(request.GET.get("account", ""), request.user)
    wanted = request.GET.get("status", "")
    posts = _reportable_posts(target, reporter, wanted)
    rules = live_rules()
    initial = {
        "category": ReportCategory.VIOLATION if rules else ReportCategory.OTHER,
        "statuses": [found] if (found := parse_snowflake(wanted)) else [],
    }
    form = ReportForm(
        request.POST or None,
        initial=initial,
        post_choices=[(post.pk, _post_label(post)) for post in posts],
        rules=rules,
        remote=not target.is_local,
    )
    code = 200
    if request.method == "POST":
        code = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                report_create(
                    reporter=reporter,
                    target_id=target.pk,
                    status_ids=data.get("statuses") or [],
                    rule_ids=data.get("rules") or [],
                    category=data["category"],
                    comment=data.get("comment", ""),
                    forward=bool(data.get("forward")),
                )
            except NotFound:
                form.add_error(
                    None, _("A post you chose is no longer there, or you can no longer see it.")
                )
                code = 404
            except DomainError as error:
                form.add_error(None, error_text(error))
                code = error.status_code
            else:
                return redirect("moderation:report-sent")
    context = {"form": form, "target": target, "is_self": target.pk == reporter.pk}
    return render(request, "moderation/report_new.html", context, status=code)


@login_required
@require_GET
def report_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "moderation/report_sent.html")
