"""Reads for OAuth applications: what a teacher has authorized, what they have built."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, Min
from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from staffroom.accounts.models import User
from staffroom.core.api.scopes import parse_scopes
from staffroom.oauth.models import OAuthApplication


@dataclass(frozen=True)
class AuthorizedApplication:
    application: OAuthApplication
    scopes: list[str]
    authorized_at: datetime
    last_used_at: datetime


def authorized_applications(*, user: User) -> list[AuthorizedApplication]:
    """Applications holding a live token of `user`, newest use first (two queries)."""
    live = get_access_token_model().objects.filter(user=user, expires__gt=timezone.now())
    rows = list(live.values("application_id").annotate(first=Min("created"), last=Max("updated")))
    apps = OAuthApplication.objects.in_bulk([row["application_id"] for row in rows])
    scopes: dict[int, set[str]] = {}
    for application_id, scope in live.values_list("application_id", "scope"):
        scopes.setdefault(application_id, set()).update(parse_scopes(scope))
    result = [
        AuthorizedApplication(
            application=apps[row["application_id"]],
            scopes=sorted(scopes.get(row["application_id"], set())),
            authorized_at=row["first"],
            last_used_at=row["last"],
        )
        for row in rows
        if row["application_id"] in apps
    ]
    return sorted(result, key=lambda item: item.last_used_at, reverse=True)


def owned_applications(*, user: User) -> list[OAuthApplication]:
    """Applications the teacher made in Settings → Development."""
    return list(OAuthApplication.objects.filter(user=user).order_by("-created"))
