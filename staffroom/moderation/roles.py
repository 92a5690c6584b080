"""Who may moderate: the roles on `accounts.User.role`, and the ranks that decide who may act
on whom.

- member: everyone;
- moderator: reads reports and acts on posts and accounts;
- administrator: also sets the rules and terms, grants roles, reads the audit log;
- owner: the superuser made at installation (`createsuperuser`), an administrator no one
  else may act on.

Nobody acts on themselves or on someone of the same or a higher rank: a moderator cannot
suspend an administrator, nor an administrator another administrator.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from staffroom.accounts.models import StaffRole, User
from staffroom.core.exceptions import PermissionDenied

RANK = {StaffRole.MEMBER: 0, StaffRole.MODERATOR: 1, StaffRole.ADMIN: 2}
OWNER_RANK = 3

AnyUser = User | AnonymousUser | None


def role_rank(user: User) -> int:
    """The rank the user's role gives, whether or not the account is active now."""
    if user.is_superuser:
        return OWNER_RANK
    return RANK[StaffRole(user.role)] if user.role in StaffRole.values else 0


def rank_of(user: AnyUser) -> int:
    """The rank a signed-in user acts with: none for an inactive (suspended) account."""
    if not isinstance(user, User) or not user.is_active:
        return 0
    return role_rank(user)


def is_moderator(user: AnyUser) -> bool:
    return rank_of(user) >= RANK[StaffRole.MODERATOR]


def is_admin(user: AnyUser) -> bool:
    return rank_of(user) >= RANK[StaffRole.ADMIN]


def require_moderator(user: AnyUser) -> User:
    if not is_moderator(user):
        raise PermissionDenied(_("Only moderators may do this."))
    assert isinstance(user, User)  # noqa: S101 - is_moderator checked it
    return user


def require_admin(user: AnyUser) -> User:
    if not is_admin(user):
        raise PermissionDenied(_("Only administrators may do this."))
    assert isinstance(user, User)  # noqa: S101 - is_admin checked it
    return user


def require_outranks(actor: User, target: User | None) -> None:
    """`actor` may act on the account of `target` (None: a remote account, or one with no
    sign-in, which every moderator outranks)."""
    if target is None:
        return
    if target.pk == actor.pk:
        raise PermissionDenied(_("Moderators do not act on their own account."))
    if role_rank(target) >= rank_of(actor):
        raise PermissionDenied(
            _("This account's role is the same as yours or above it; ask an administrator.")
        )
