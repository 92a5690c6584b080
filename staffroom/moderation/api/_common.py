"""What the moderation API routes share: the staff member behind a token and the lookups
the selectors do not offer (one account for the admin routes, one notice by id).

Every admin route needs both the token's scope (checked by `TokenAuth`, 403 without it) and
the user's role (checked here, first thing, so a teacher holding admin scopes learns
nothing about which ids exist: 403 before any lookup)."""

from __future__ import annotations

from django.http import HttpRequest

from staffroom.accounts.models import User
from staffroom.core.exceptions import NOT_FOUND, NotFound
from staffroom.core.ids import id_or_not_found
from staffroom.moderation.models import NOTICE_KINDS, ModerationAction
from staffroom.moderation.roles import require_admin, require_moderator
from staffroom.profiles.models import Profile


def moderator_of(request: HttpRequest) -> User:
    """The signed-in moderator or administrator; PermissionDenied (403) for anyone else."""
    return require_moderator(request.user)


def admin_of(request: HttpRequest) -> User:
    """The signed-in administrator; PermissionDenied (403) for anyone else."""
    return require_admin(request.user)


def account_for_staff(account_id: object) -> Profile:
    """Any account, suspended or limited ones included (moderators must reach them)."""
    profile = Profile.objects.select_related("user").filter(pk=id_or_not_found(account_id)).first()
    if profile is None:
        raise NotFound(NOT_FOUND)
    return profile


def notice_for(profile: Profile, notice_id: object) -> ModerationAction:
    """One notice about the teacher's own account; any other id answers as unknown."""
    action = ModerationAction.objects.filter(
        pk=id_or_not_found(notice_id), target_account=profile, kind__in=NOTICE_KINDS
    ).first()
    if action is None:
        raise NotFound(NOT_FOUND)
    return action
