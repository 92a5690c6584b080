"""Reads for accounts."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest

from staffroom.accounts.models import RegistrationMode, SiteConfiguration, User


def site_configuration() -> SiteConfiguration:
    """The joining rules; the first call seeds the row from the environment."""
    config = SiteConfiguration.objects.filter(pk=1).first()
    if config is not None:
        return config
    mode = settings.STAFFROOM_REGISTRATION_MODE
    if mode not in RegistrationMode.values:
        mode = RegistrationMode.OPEN
    config, _created = SiteConfiguration.objects.get_or_create(
        pk=1,
        defaults={
            "registration_mode": mode,
            "allowed_email_domains": "\n".join(settings.STAFFROOM_ALLOWED_EMAIL_DOMAINS),
        },
    )
    return config


def request_user(request: HttpRequest) -> User:
    """The signed-in user of a request that `login_required` or `TokenAuth` has checked.

    Raises Django's PermissionDenied (a 403 page, or `{"error": ...}` under /api) if the
    check was forgotten, rather than acting for an anonymous visitor.
    """
    user = request.user
    if not isinstance(user, User):
        raise DjangoPermissionDenied("Sign in first.")
    return user


def user_get_by_login(login: str) -> User | None:
    """The user whose e-mail address or local handle is `login` (case-insensitive)."""
    login = login.strip()
    if not login:
        return None
    if "@" in login.lstrip("@"):
        return User.objects.filter(email__iexact=login).first()
    return User.objects.filter(
        profile__handle__iexact=login.lstrip("@"), profile__domain=""
    ).first()


def users_pending_approval_count() -> int:
    """How many sign-ups wait for an administrator (shown to staff on their home page)."""
    return User.objects.filter(approval="pending", is_active=True).count()


def weekly_sign_ups_and_sign_ins(starts: list[datetime]) -> list[tuple[int, int]]:
    """For each week starting at `starts[i]` (ascending or not; each a week long):
    `(registrations, logins)`: accounts created that week, and accounts whose latest
    sign-in falls in it (exact for the current week; for an older week, those who have
    not signed in since). One query."""
    aggregates: dict[str, Count] = {}
    for index, start in enumerate(starts):
        end = start + timedelta(days=7)
        aggregates[f"joined{index}"] = Count(
            "pk", filter=Q(date_joined__gte=start, date_joined__lt=end)
        )
        aggregates[f"seen{index}"] = Count(
            "pk", filter=Q(last_login__gte=start, last_login__lt=end)
        )
    if not aggregates:
        return []
    found = User.objects.aggregate(**aggregates)
    return [(found[f"joined{index}"], found[f"seen{index}"]) for index in range(len(starts))]
