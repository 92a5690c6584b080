"""How much this server is used: the numbers the Instance entity and NodeInfo publish.

Counted as Mastodon counts them: active users (a suspended user is inactive), local posts
from the `ProfileStats` counters (direct messages not counted, as there), and the remote
domains this server knows. The instance and NodeInfo routes are fetched by every client and
crawler, so the answer is cached for a minute rather than counted on each request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone

from staffroom.accounts.models import User
from staffroom.profiles.models import Profile, ProfileStats

_CACHE_KEY = "profiles:site-usage"
_CACHE_SECONDS = 60


@dataclass(frozen=True)
class SiteUsage:
    users_total: int
    active_month: int
    active_halfyear: int
    local_posts: int
    known_domains: int


def site_usage() -> SiteUsage:
    """The usage numbers, at most a minute old (five small queries when not cached)."""
    cached = cache.get(_CACHE_KEY)
    if isinstance(cached, SiteUsage):
        return cached
    usage = _count_usage()
    cache.set(_CACHE_KEY, usage, _CACHE_SECONDS)
    return usage


def _count_usage() -> SiteUsage:
    now = timezone.now()
    active = User.objects.filter(is_active=True)
    local_posts = ProfileStats.objects.filter(profile__domain="").aggregate(
        total=Sum("statuses_count")
    )["total"]
    return SiteUsage(
        users_total=active.count(),
        active_month=active.filter(last_login__gte=now - timedelta(days=30)).count(),
        active_halfyear=active.filter(last_login__gte=now - timedelta(days=180)).count(),
        local_posts=int(local_posts or 0),
        known_domains=Profile.objects.exclude(domain="").values("domain").distinct().count(),
    )
