"""Trend pages: Explore (`/explore`, with a tab per kind: hashtags, posts, links), open to
anyone, and the moderators' review (`/moderation/trends`), where each candidate is
approved or rejected (a post's author may be approved too)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from staffroom.moderation import services as moderation
from staffroom.moderation.views._common import acting_user, moderators_only
from staffroom.posts.views._cards import post_cards
from staffroom.profiles.viewer import viewer_profile
from staffroom.trends import selectors
from staffroom.trends.models import TrendKind
from staffroom.web.errors import domain_errors

EXPLORE_TABS = {"hashtags": TrendKind.TAG, "posts": TrendKind.STATUS, "links": TrendKind.LINK}
EXPLORE_SHOWN = 20


@require_GET
def explore(request: HttpRequest, tab: str = "hashtags") -> HttpResponse:
    """`/explore`, `/explore/posts`, `/explore/links`: what is trending on this server."""
    if tab not in EXPLORE_TABS:
        raise Http404
    rows: list[Any]
    cards: list[Any] = []
    if tab == "hashtags":
        rows = selectors.trending_tags(limit=EXPLORE_SHOWN)
    elif tab == "links":
        rows = selectors.trending_links(limit=EXPLORE_SHOWN)
    else:
        viewer = viewer_profile(request)
        rows = cards = post_cards(viewer, selectors.trending_statuses(viewer, limit=EXPLORE_SHOWN))
    context = {"tab": tab, "enabled": selectors.trends_enabled(), "rows": rows, "cards": cards}
    return render(request, "trends/explore.html", context)


@moderators_only
@require_GET
def review(request: HttpRequest) -> HttpResponse:
    """`/moderation/trends?tab=hashtags|posts|links`: the current candidates, those waiting
    for a decision first."""
    tab = request.GET.get("tab", "hashtags")
    kind = EXPLORE_TABS.get(tab, TrendKind.TAG)
    rows = selectors.review_rows(kind)
    cards: dict[int, Any] = {}
    if kind == TrendKind.STATUS:
        statuses = [row.trend.status for row in rows if row.trend.status is not None]
        cards = {card.status.pk: card for card in post_cards(viewer_profile(request), statuses)}
    context: dict[str, Any] = {
        "tab": tab if tab in EXPLORE_TABS else "hashtags",
        "items": [{"row": row, "card": cards.get(row.trend.status_id or 0)} for row in rows],
        "current": "trends",
        "need_review": selectors.trends_need_review(),
    }
    return render(request, "trends/review.html", context)


def _review_page(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    return reverse("trends:review")


@moderators_only
@require_POST
@domain_errors(back=_review_page)
def review_action(request: HttpRequest, kind: str, item_id: str, decision: str) -> HttpResponse:
    """Approve, reject, or approve a post's author; back to the tab it came from."""
    moderation.trend_review(
        actor=acting_user(request), kind=kind, item_id=item_id, decision=decision
    )
    messages.success(request, _("Saved. The trend lists follow at once."))
    tab = {value: name for name, value in EXPLORE_TABS.items()}.get(TrendKind(kind), "hashtags")
    return redirect(f"{reverse('trends:review')}?tab={tab}")
