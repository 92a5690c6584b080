"""The demo's filters: the demo account keeps two, so Settings → Filters has something to
show and change: a `warn` filter on standardized-testing talk in the home and public
feeds, and an expired `hide` filter from last term's report-card week."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from staffroom.core.demo import DemoContext, demo_part
from staffroom.filters.models import Filter, FilterAction, FilterKeyword
from staffroom.profiles.models import Profile

DEMO_HANDLE = "demo"


@demo_part(order=48, name="filters")
def demo_filters(context: DemoContext) -> None:
    demo = Profile.objects.filter(handle=DEMO_HANDLE, domain="").first()
    if demo is None:
        return
    testing = Filter.objects.create(
        account=demo,
        title="Standardized testing",
        context=["home", "public"],
        action=FilterAction.WARN,
    )
    reports = Filter.objects.create(
        account=demo,
        title="Report cards",
        context=["home", "notifications"],
        action=FilterAction.HIDE,
        expires_at=timezone.now() - timedelta(days=30),
    )
    FilterKeyword.objects.bulk_create(
        [
            FilterKeyword(filter=testing, keyword="standardized test", whole_word=False),
            FilterKeyword(filter=testing, keyword="test prep", whole_word=True),
            FilterKeyword(filter=reports, keyword="report cards", whole_word=True),
        ]
    )
    context.log("demo: 2 filters for the demo account")
